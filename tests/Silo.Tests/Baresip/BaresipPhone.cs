using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Baresip;

/// <summary>
/// Debian's baresip, a real SIP phone, run headless: one account whose outbound proxy is the node, a loopback
/// listener of its own, auto-answer, a sine tone as its microphone and no speaker. The commands run at start
/// (<c>-e</c>); the phone quits by itself after its time limit (<c>-t</c>), and disposing kills it.
/// </summary>
internal sealed class BaresipPhone : IAsyncDisposable
{
    private const string Executable = "/usr/bin/baresip";
    private const string ModulePath = "/usr/lib/baresip/modules";

    private readonly Process process;
    private readonly TempDirectory configuration;
    private readonly ConcurrentQueue<string> output = new();

    private BaresipPhone(Process process, TempDirectory configuration, IPEndPoint listener)
    {
        this.process = process;
        this.configuration = configuration;
        Listener = listener;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The phones' domain: a Domain rule sends it to the pair; no DNS knows it, so nothing may need to resolve it.</summary>
    public const string Domain = "pbx.example.com";

    public static bool IsInstalled => File.Exists(Executable) && Directory.Exists(ModulePath);

    /// <summary>
    /// baresip 1.0 starts no SIP stack on a machine whose only address is loopback ("SIP register failed: Protocol not
    /// supported"), though it listens on loopback here: it needs some other interface address to exist.
    /// </summary>
    public static bool CanStart => NetworkInterface.GetAllNetworkInterfaces().Any(card =>
        card.OperationalStatus == OperationalStatus.Up
        && card.NetworkInterfaceType != NetworkInterfaceType.Loopback
        && card.GetIPProperties().UnicastAddresses.Any(unicast => unicast.Address.AddressFamily == AddressFamily.InterNetwork));

    /// <summary>Where the phone itself listens (UDP and TCP); its Contact names this address.</summary>
    public IPEndPoint Listener { get; }

    /// <summary>Everything the phone printed so far, its SIP trace included.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    /// <param name="user">The phone's user name; its address of record is sip:user@<see cref="Domain"/>.</param>
    /// <param name="proxy">The node's TCP listener, the phone's outbound proxy.</param>
    /// <param name="register">Register at start, or only place calls.</param>
    /// <param name="commands">baresip commands run at start, e.g. "/dial sip:bob@pbx.example.com".</param>
    /// <param name="quitAfter">The phone hangs up, unregisters and exits this long after start.</param>
    public static BaresipPhone Start(string user, IPEndPoint proxy, bool register, IReadOnlyList<string> commands, TimeSpan quitAfter)
    {
        var configuration = new TempDirectory();
        var listener = FreePort.TcpOn(IPAddress.Loopback);
        configuration.Write("config", Config(listener));
        var registration = register ? "regint=3600" : "regint=0";
        configuration.Write(
            "accounts",
            $"<sip:{user}@{Domain};transport=tcp>;auth_pass=unused;outbound=\"sip:{proxy.Address}:{proxy.Port};transport=tcp\";{registration};answermode=auto\n");

        var start = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(configuration.Path);
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add("-t");
        start.ArgumentList.Add(((int)Math.Ceiling(quitAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var command in commands)
        {
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add(command);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("baresip did not start");
        return new BaresipPhone(process, configuration, listener);
    }

    /// <summary>Waits for the phone to quit by itself; fails the test when it does not within <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"baresip did not quit within {timeout}\n--- baresip ---\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        configuration.Dispose();
    }

    // Headless: no console module, a sine tone as the source, audio written nowhere, media ports of its own.
    private static string Config(IPEndPoint listener) => $"""
        poll_method epoll
        sip_listen {listener.Address}:{listener.Port}
        module_path {ModulePath}
        module g711.so
        module ausine.so
        module aufile.so
        module_app account.so
        module_app menu.so
        audio_source ausine,440
        ausrc_srate 48000
        ausrc_channels 2
        auplay_channels 2
        auplay_srate 48000
        audio_player aufile,/dev/null
        audio_alert aufile,/dev/null
        rtp_ports 20000-29999
        """ + "\n";

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }
}
