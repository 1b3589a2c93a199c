using OrleansProxy.Silo.Tests.TestSupport;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// One sipp process playing Sipp/uas.xml or Sipp/uac.xml over UDP or TCP, bound to one loopback
/// address (control and media sockets included). Every process has a wall-clock limit after
/// which it is killed, and disposing kills it, frozen or not.
/// </summary>
internal sealed class SippProcess : IDisposable
{
    private const string Executable = "sipp";
    private const int OutputLines = 200;
    private const int ErrorLogTailChars = 8_000;

    // Linux signal numbers (x86-64 and arm64 agree on these).
    private const int SignalContinue = 18;
    private const int SignalStop = 19;

    // The UAS fails a call when the ACK or the BYE is this late; longer than any call a test places.
    private static readonly TimeSpan UasReceiveTimeout = TimeSpan.FromSeconds(30);

    // sipp's own -timeout stops new calls and lets active ones end; the kill follows this much later.
    private static readonly TimeSpan UasKillGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StartProbeInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly string _scenarioName;
    private readonly Process _process;
    private readonly DirectoryInfo _workDirectory;
    private readonly OutputTail _output = new(OutputLines);
    private readonly OutputTail _errors = new(OutputLines);
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenRegistration _killAtDeadline;
    private volatile bool _killedAtDeadline;

    private SippProcess(string scenario, IPEndPoint bind, TimeSpan timeLimit, IEnumerable<string> roleArguments, SippTransport transport)
    {
        _scenarioName = Path.GetFileNameWithoutExtension(scenario);
        Transport = transport;
        EndPoint = bind.Port == 0 ? new IPEndPoint(bind.Address, transport == SippTransport.Udp ? FreePort.Udp().Port : FreePort.Tcp()) : bind;
        _workDirectory = Directory.CreateTempSubdirectory("orleans-proxy-sipp-");

        var address = EndPoint.Address.ToString();
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = _workDirectory.FullName,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in roleArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("-sf");
        start.ArgumentList.Add(scenario);

        string[] common =
        [
            "-i", address, "-bind_local", "-ci", address,
            "-p", EndPoint.Port.ToString(CultureInfo.InvariantCulture),
            "-t", transport switch { SippTransport.Tcp => "t1", SippTransport.TcpPerCall => "tn", _ => "u1" }, "-nostdin",
            "-trace_stat", "-stf", StatisticsFile, "-trace_counts", "-fd", "1",
            "-trace_err", "-error_file", ErrorFile,
        ];
        foreach (var argument in common)
        {
            start.ArgumentList.Add(argument);
        }

        if (transport == SippTransport.TcpPerCall)
        {
            // sipp refuses to start when its default socket ceiling is above the open-files limit.
            start.ArgumentList.Add("-max_socket");
            start.ArgumentList.Add("1000");
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => _output.Append(line.Data);
        _process.ErrorDataReceived += (_, line) => _errors.Append(line.Data);
        try
        {
            _process.Start();
        }
        catch
        {
            _process.Dispose();
            _workDirectory.Delete(recursive: true);
            throw;
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _deadline = new CancellationTokenSource(timeLimit);
        _killAtDeadline = _deadline.Token.Register(KillAtDeadline);
    }

    /// <summary>Whether a <c>sipp</c> executable is on the PATH (Debian package sip-tester).</summary>
    public static bool IsInstalled { get; } = IsOnPath(Executable);

    /// <summary>The address sipp listens and sends on.</summary>
    public IPEndPoint EndPoint { get; }

    public SippTransport Transport { get; }

    /// <summary>The UAS as a pair member is configured: "127.0.0.1:5070" or "tcp://127.0.0.1:5070".</summary>
    public string MemberAddress => Transport == SippTransport.Udp ? EndPoint.ToString() : $"tcp://{EndPoint}";

    public bool HasExited => _process.HasExited;

    private string StatisticsFile => Path.Combine(_workDirectory.FullName, "statistics.csv");

    private string ErrorFile => Path.Combine(_workDirectory.FullName, "errors.log");

    // sipp names this file itself, after the scenario and its process id, in its working directory.
    private string MessageCountsFile =>
        Path.Combine(_workDirectory.FullName, string.Create(CultureInfo.InvariantCulture, $"{_scenarioName}_{_process.Id}_counts.csv"));

    /// <summary>
    /// Starts a UAS (a member of an HA pair) on <paramref name="bind"/> and returns once it
    /// has answered an OPTIONS, which its statistics count as one call. It answers OPTIONS
    /// with 200 and takes INVITE dialogs until it is stopped or disposed, or until
    /// <paramref name="lifetime"/> has passed: then it takes no new calls and is killed 5 s
    /// later. A <paramref name="bind"/> with port 0 gets a free port.
    /// </summary>
    public static async Task<SippProcess> StartUasAsync(IPEndPoint bind, TimeSpan lifetime, CancellationToken cancellationToken, SippTransport transport = SippTransport.Udp)
    {
        ArgumentNullException.ThrowIfNull(bind);
        var uas = new SippProcess(
            Scenario("uas.xml"),
            bind,
            lifetime + UasKillGrace,
            ["-recv_timeout", Duration(UasReceiveTimeout), "-timeout", Duration(lifetime)],
            transport);
        try
        {
            await uas.WaitUntilAnsweringAsync(cancellationToken).ConfigureAwait(false);
            return uas;
        }
        catch
        {
            uas.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="RunUacAsync(SippUacOptions, CancellationToken)"/>
    public static Task<SippUacResult> RunUacAsync(
        IPEndPoint localBind,
        IPEndPoint target,
        int calls,
        int callsPerSecond,
        TimeSpan timeLimit,
        CancellationToken cancellationToken) =>
        RunUacAsync(new SippUacOptions(localBind, target, calls, callsPerSecond, timeLimit), cancellationToken);

    /// <summary>
    /// Places the calls and waits for sipp to exit, or kills it at the time limit; the
    /// counters come from the statistics sipp wrote last.
    /// </summary>
    public static async Task<SippUacResult> RunUacAsync(SippUacOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Calls);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.CallsPerSecond);

        using var uac = new SippProcess(
            Scenario("uac.xml"),
            options.LocalBind,
            options.TimeLimit,
            [
                options.Target.ToString(),
                "-m", options.Calls.ToString(CultureInfo.InvariantCulture),
                "-r", options.CallsPerSecond.ToString(CultureInfo.InvariantCulture),
                "-d", Duration(options.CallDuration),
                "-recv_timeout", Duration(options.ReceiveTimeout),
            ],
            options.Transport);
        await uac._process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new SippUacResult(
            options.Calls,
            uac._process.ExitCode,
            uac._killedAtDeadline,
            uac.ReadStatistics(),
            uac.ReadMessageCounts(),
            uac.Describe());
    }

    /// <summary>Call counters as of sipp's last one-second statistics row.</summary>
    public SippCallStatistics? ReadStatistics() => SippCallStatistics.ReadFile(StatisticsFile);

    /// <summary>
    /// Messages per scenario step as of sipp's last one-second row: for a UAS,
    /// <c>Received("INVITE")</c> counts dialogs and <c>Received("OPTIONS")</c> probes.
    /// </summary>
    public SippMessageCounts? ReadMessageCounts() => SippMessageCounts.ReadFile(MessageCountsFile);

    /// <summary>Suspends the process (SIGSTOP): its socket stays bound and requests queue unanswered.</summary>
    public void Freeze() => Signal(SignalStop);

    /// <summary>Continues a frozen process (SIGCONT); it then answers what queued meanwhile.</summary>
    public void Resume() => Signal(SignalContinue);

    /// <summary>Kills the process, as a crash would, and waits for it to be gone.</summary>
    public async Task StopAsync()
    {
        Kill();
        using var exit = new CancellationTokenSource(ExitTimeout);
        await _process.WaitForExitAsync(exit.Token).ConfigureAwait(false);
    }

    /// <summary>The command line and what sipp printed, for assertion messages.</summary>
    public string Describe() =>
        $"""
        {Executable} {string.Join(' ', _process.StartInfo.ArgumentList)}
        --- stdout (last {OutputLines} lines) ---
        {_output}
        --- stderr (last {OutputLines} lines) ---
        {_errors}
        --- unexpected messages (last {ErrorLogTailChars} characters) ---
        {ErrorLogTail()}
        """;

    public void Dispose()
    {
        _killAtDeadline.Dispose();
        _deadline.Dispose();
        Kill();
        _process.WaitForExit(ExitTimeout);
        _process.Dispose();
        _workDirectory.Delete(recursive: true);
    }

    private static string Scenario(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Sipp", fileName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"sipp scenario {fileName} is not next to the test assembly.", path);
    }

    private static string Duration(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Ceiling(duration.TotalMilliseconds)}ms");

    private static bool IsOnPath(string executable)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, executable)))
            {
                return true;
            }
        }

        return false;
    }

    // Ready once this process answers an OPTIONS: the To tag of sipp's answer starts with its
    // process id, so a different process on the same port (a bind race) is not taken for it.
    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var prober = new SipOptionsClient();
        var ownTag = string.Create(CultureInfo.InvariantCulture, $";tag={_process.Id}SIPpTag");
        var attempts = (int)(StartTimeout / StartProbeInterval);
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"sipp exited with code {_process.ExitCode} before answering on {EndPoint}.\n{Describe()}");
            }

            var answer = Transport != SippTransport.Udp
                ? await ProbeOverTcpAsync().ConfigureAwait(false)
                : await prober.ProbeAsync(EndPoint, StartProbeInterval, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                continue;
            }

            if (SipOptionsClient.HeaderValue(answer, "To", "t")?.Contains(ownTag, StringComparison.Ordinal) == true)
            {
                return;
            }

            // Another process answered on this port; ours is about to fail its bind and exit.
            await Task.Delay(StartProbeInterval, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"sipp did not answer OPTIONS on {EndPoint} within {StartTimeout}.\n{Describe()}");
    }

    private async Task<string?> ProbeOverTcpAsync()
    {
        try
        {
            await using var connection = await StreamSipConnection.ConnectAsync(EndPoint).ConfigureAwait(false);
            var local = connection.LocalHostPort;
            await connection.SendAsync(
                $"OPTIONS sip:{EndPoint} SIP/2.0\nVia: SIP/2.0/TCP {local};branch=z9hG4bK{Guid.NewGuid():N}\nMax-Forwards: 70\n" +
                $"From: <sip:probe@{local}>;tag=1\nTo: <sip:{EndPoint}>\nCall-ID: {Guid.NewGuid():N}\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n").ConfigureAwait(false);
            return await connection.ReceiveAsync(StartProbeInterval).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or OperationCanceledException)
        {
            // Not listening yet.
            await Task.Delay(StartProbeInterval).ConfigureAwait(false);
            return null;
        }
    }

    private string ErrorLogTail()
    {
        if (!File.Exists(ErrorFile))
        {
            return string.Empty;
        }

        using var stream = new FileStream(ErrorFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Max(0, stream.Length - ErrorLogTailChars), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private void KillAtDeadline()
    {
        if (!_process.HasExited)
        {
            _killedAtDeadline = true;
            Kill();
        }
    }

    private void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    private void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException(
                $"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    // DllImport rather than LibraryImport: the generated stub needs unsafe code, which this
    // project does not allow, and kill(2) takes and returns plain ints.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int processId, int signal);
}
