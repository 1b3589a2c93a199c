using System.Diagnostics;
using System.Net;
using System.Text;

namespace OrleansProxy.TestSupport;

/// <summary>
/// Decodes captured HEP datagrams with real third-party tools: tshark's own HEP dissector where it has one
/// (`-d udp.port==PORT,hep`, Wireshark 4.2 and later), otherwise sngrep (which parses HEP, `-E`) into a pcap of
/// plain SIP that tshark then dissects. Debian 12's tshark 4.0 has no HEP dissector, hence the second way.
/// </summary>
public static class HepDecoder
{
    private static readonly Lazy<string?> Unavailable = new(FindMissingTool);

    private static readonly Lazy<bool> TsharkHasHep = new(() => Run("tshark", ["-G", "protocols"]).Split('\n').Any(line => line.EndsWith("\thep", StringComparison.Ordinal)));

    /// <summary>Why decoding cannot run here, or null when it can.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    /// <summary>Every SIP message in <paramref name="datagrams"/> as the tools decode it, in capture order.</summary>
    /// <param name="collector">Where the datagrams were sent: the port the decoder is told carries HEP.</param>
    public static IReadOnlyList<DecodedSip> Decode(IReadOnlyList<byte[]> datagrams, IPEndPoint collector, string directory)
    {
        var hepFile = Path.Combine(directory, "hep.pcap");
        PcapFile.Write(hepFile, datagrams, new IPEndPoint(IPAddress.Loopback, 40_000), collector);
        if (TsharkHasHep.Value)
        {
            // The HEP dissector reports addresses in fields of its own; here only the SIP is read.
            return Fields(hepFile, ["-d", $"udp.port=={collector.Port},hep"], addresses: false);
        }

        var sipFile = Path.Combine(directory, "sip.pcap");
        Run("sngrep", ["-N", "-q", "-E", "-I", hepFile, "-O", sipFile]);

        // sngrep writes each message it keeps twice; a message sent twice has two capture times.
        return [.. Fields(sipFile, [], addresses: true).DistinctBy(message => (message.Time, message.Payload))];
    }

    private static List<DecodedSip> Fields(string file, string[] decodeAs, bool addresses)
    {
        string[] fields = ["frame.time_epoch", "ip.src", "udp.srcport", "ip.dst", "udp.dstport", "sip.Call-ID", "sip.Method", "sip.Status-Code", "udp.payload"];
        var output = Run("tshark", ["-r", file, .. decodeAs, "-T", "fields", "-E", "separator=|", .. fields.SelectMany(field => new[] { "-e", field }), "sip"]);
        var decoded = new List<DecodedSip>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var values = line.Split('|');
            if (values.Length != fields.Length)
            {
                continue;
            }

            decoded.Add(new DecodedSip(
                values[0],
                addresses ? values[1] : string.Empty,
                addresses ? ParsePort(values[2]) : 0,
                addresses ? values[3] : string.Empty,
                addresses ? ParsePort(values[4]) : 0,
                values[5],
                values[6],
                values[7],
                addresses ? Encoding.UTF8.GetString(Convert.FromHexString(values[8].Replace(":", string.Empty, StringComparison.Ordinal))) : string.Empty));
        }

        return decoded;
    }

    private static int ParsePort(string text) => int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : 0;

    private static string? FindMissingTool()
    {
        if (!OnPath("tshark"))
        {
            return "tshark is not installed (apt-get install tshark)";
        }

        return TsharkHasHep.Value || OnPath("sngrep") ? null : "this tshark has no HEP dissector and sngrep is not installed (apt-get install sngrep)";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(directory => File.Exists(Path.Combine(directory, tool)));

    private static string Run(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within 60 s");
        }

        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {errors.Result}");
        return output.Result;
    }
}

/// <summary>One SIP message as decoded; addresses and payload are empty when the decoder path does not report them.</summary>
public sealed record DecodedSip(string Time, string Source, int SourcePort, string Destination, int DestinationPort, string CallId, string Method, string Status, string Payload);
