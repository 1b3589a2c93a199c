using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>
/// A stateless proxy listening as 127.0.0.1:5060 and [::1]:5060 (alias sip-proxy.example.com) with a resolver that sends every
/// request to <see cref="Server"/>. Torture messages are written with "\n" line ends and sent as CRLF UTF-8.
/// </summary>
internal sealed partial class TortureProxy : IDisposable
{
    public static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);
    public static readonly IPEndPoint Server = new(IPAddress.Loopback, 5070);

    /// <summary>The first lines a forwarded dialog-creating request gains; {branch} stands for our computed branch.</summary>
    public const string OurVia = "Via: SIP/2.0/UDP 127.0.0.1:5060;branch={branch}\n";
    /// <summary>Record-Route names the pool's alias, so any instance of the pool can take the next transaction.</summary>
    public const string OurRecordRoute = "Record-Route: <sip:sip-proxy.example.com;lr>\n";

    private readonly RecordingMeter drops;
    private readonly SipMetrics metrics = new();
    private readonly StatelessProxy proxy;

    public TortureProxy(ProxyCoreOptions? options = null)
    {
        var ipv6 = new CapturingTransport(new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 5060)), Transport.Sent);
        var identity = new ProxyIdentity([Transport, ipv6], ["sip-proxy.example.com"]);

        // Torture messages check that forwarding changes nothing but Via and Record-Route; the Path a REGISTER gains
        // (RFC 3327) has tests of its own, in Flows/.
        proxy = new StatelessProxy(identity, Resolver, (options ?? new ProxyCoreOptions()) with { Path = false }, metrics, NullLogger<StatelessProxy>.Instance);
        drops = new RecordingMeter(metrics.MessagesDropped);
    }

    public FakeResolver Resolver { get; } = new();

    public CapturingTransport Transport { get; } = new();

    public static byte[] Wire(string text) => Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>
    /// The request sent to the server must be <paramref name="request"/> with our Via (and Record-Route when asked)
    /// after the start line and each of <paramref name="edits"/> applied, and nothing else changed.
    /// </summary>
    public Task AssertForwardedAsync(string request, bool recordRoute, params (string Original, string Edited)[] edits) =>
        AssertForwardedAsync(request, recordRoute, string.Empty, edits);

    /// <param name="datagramTail">Bytes after the message in the same datagram, which must not be forwarded.</param>
    public async Task AssertForwardedAsync(string request, bool recordRoute, string datagramTail, params (string Original, string Edited)[] edits)
    {
        var sent = await SendAsync(request + datagramTail, Caller);

        var (bytes, destination) = Assert.Single(sent);
        Assert.Equal(Server, destination);
        var expected = request;
        foreach (var (original, edited) in edits)
        {
            Assert.Contains(original, expected, StringComparison.Ordinal);
            expected = expected.Replace(original, edited, StringComparison.Ordinal);
        }

        var startLineEnd = expected.IndexOf('\n', StringComparison.Ordinal) + 1;
        expected = expected[..startLineEnd] + OurVia + (recordRoute ? OurRecordRoute : string.Empty) + expected[startLineEnd..];
        Assert.Equal(expected, OwnBranch().Replace(Text(bytes), "{branch}", 1));
    }

    /// <summary>The proxy answers the caller itself with exactly this status line.</summary>
    public async Task AssertAnsweredAsync(string request, string statusLine)
    {
        var sent = await SendAsync(request, Caller);

        var (bytes, destination) = Assert.Single(sent);
        Assert.Equal(Caller, destination);
        var text = Text(bytes);
        Assert.Equal(statusLine, text[..text.IndexOf('\n', StringComparison.Ordinal)]);
        Assert.Empty(Resolver.Requests);
    }

    /// <summary>A response from the server goes to <paramref name="destination"/> without our Via and otherwise untouched.</summary>
    public async Task AssertResponseForwardedAsync(string response, IPEndPoint destination)
    {
        var sent = await SendAsync(response, Server);

        var (bytes, sentTo) = Assert.Single(sent);
        Assert.Equal(destination, sentTo);
        var ourVia = response.IndexOf("\nVia:", StringComparison.Ordinal) + 1;
        var expected = response[..ourVia] + response[(response.IndexOf('\n', ourVia) + 1)..];
        Assert.Equal(expected, Text(bytes));
    }

    /// <summary>Nothing is sent, and the drop is counted with <paramref name="reason"/>.</summary>
    public async Task AssertDroppedAsync(string message, IPEndPoint source, string reason)
    {
        var sent = await SendAsync(message, source);

        Assert.Empty(sent);
        Assert.Equal([reason], drops.Reasons);
    }

    public void Dispose()
    {
        drops.Dispose();
        metrics.Dispose();
    }

    private async Task<(byte[] Bytes, IPEndPoint Destination)[]> SendAsync(string message, IPEndPoint source)
    {
        Transport.Sent.Clear();
        Resolver.Requests.Clear();
        await proxy.HandleAsync(Wire(message), source, Transport, CancellationToken.None);
        return [.. Transport.Sent];
    }

    [GeneratedRegex("z9hG4bKop[0-9a-f]{16}\\.[0-9a-f]{16}")]
    private static partial Regex OwnBranch();

    private sealed class RecordingMeter : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly List<string> reasons = [];

        public RecordingMeter(Instrument instrument)
        {
            listener.InstrumentPublished = (published, l) =>
            {
                if (ReferenceEquals(published, instrument))
                {
                    l.EnableMeasurementEvents(published);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "reason")
                    {
                        lock (reasons)
                        {
                            reasons.Add((string)tag.Value!);
                        }
                    }
                }
            });
            listener.Start();
        }

        public string[] Reasons
        {
            get
            {
                lock (reasons)
                {
                    return [.. reasons];
                }
            }
        }

        public void Dispose() => listener.Dispose();
    }
}
