using System.Net;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.EndToEnd;

/// <summary>
/// A whole node with "Proxy:Capture:Hep" on: a call through it is captured to a loopback collector, and what
/// third-party decoders make of the capture is every message of the call, on both sides of the proxy, and the probes.
/// </summary>
public sealed class HepCaptureEndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly HepCollector collector = new();
    private readonly string directory = Directory.CreateTempSubdirectory("hep-e2e-").FullName;
    private SimulatedPairNode pair = null!;

    public async Task InitializeAsync() => pair = await SimulatedPairNode.StartAsync(
        "--Proxy:Capture:Hep:Enabled=true",
        $"--Proxy:Capture:Hep:Collector={collector.EndPoint}",
        "--Proxy:Capture:Hep:CaptureId=77");

    public async Task DisposeAsync()
    {
        await pair.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    public void Dispose() => collector.Dispose();

    [SkippableFact]
    public async Task Call_ThroughACapturingNode_IsDecodedOnBothSidesOfTheProxy()
    {
        Skip.If(HepDecoder.WhyUnavailable is not null, HepDecoder.WhyUnavailable);

        var call = await pair.Caller.PlaceCallAsync(CancellationToken.None);
        Assert.True(call.Succeeded, call.FailureReason);

        // The sender is behind by microseconds; a second also brings probe rounds. Probes never stop, so take what came.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var datagrams = collector.TakeArrived();

        var decoded = HepDecoder.Decode(datagrams, collector.EndPoint, directory);
        Assert.Equal(datagrams.Count, decoded.Count);
        var ofCall = decoded.Where(message => message.CallId == call.CallId).ToList();
        var caller = pair.Caller.LocalEndPoint;
        var proxy = pair.Node.Sip;
        var primary = pair.Primary.EndPoint;
        foreach (var method in new[] { "INVITE", "ACK", "BYE" })
        {
            Assert.Contains(ofCall, m => m.Method == method && Between(m, caller, proxy));
            Assert.Contains(ofCall, m => m.Method == method && Between(m, proxy, primary));
        }

        // The INVITE's and the BYE's 200s, each received from the primary and forwarded to the caller.
        Assert.Equal(2, ofCall.Count(m => m.Status == "200" && Between(m, primary, proxy)));
        Assert.Equal(2, ofCall.Count(m => m.Status == "200" && Between(m, proxy, caller)));
        Assert.All(ofCall, m => Assert.Contains($"Call-ID: {call.CallId}\r\n", m.Payload, StringComparison.OrdinalIgnoreCase));

        // The probes of both members, from the prober's own socket, and the primary's answers (the standby is silent).
        foreach (var member in new[] { primary, pair.Backup.EndPoint })
        {
            Assert.Contains(decoded, m => m.Method == "OPTIONS" && m.CallId.StartsWith("probe-", StringComparison.Ordinal) && (m.Payload.Length == 0 || m.DestinationPort == member.Port));
        }

        Assert.Contains(decoded, m => m.Status.Length > 0 && m.CallId.StartsWith("probe-", StringComparison.Ordinal) && (m.Payload.Length == 0 || m.SourcePort == primary.Port));
        var metrics = await pair.Node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var sent = System.Text.RegularExpressions.Regex.Match(metrics, @"^orleansproxy_capture_sent_total (\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(sent.Success && long.Parse(sent.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= datagrams.Count, "orleansproxy_capture_sent_total missing or short");
    }

    private static bool Between(DecodedSip message, IPEndPoint source, IPEndPoint destination) =>
        message.Payload.Length == 0
        || (message.Source == source.Address.ToString() && message.SourcePort == source.Port
            && message.Destination == destination.Address.ToString() && message.DestinationPort == destination.Port);
}
