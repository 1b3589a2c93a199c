using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>
/// Route processing toward and from strict routers (RFC 3261 §16.4, §16.6 step 6) and a Request-URI maddr naming the
/// proxy (§16.4), in both cores: the proxy listens on UDP 127.0.0.1:5062 with the alias sip-proxy.example.com.
/// </summary>
public sealed class StrictRoutingTests : IDisposable
{
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);

    private readonly ConcurrentQueue<(string Text, IPEndPoint Destination, LocalHop Hop)> sent = new();
    private readonly SharedLogTransport listener;
    private readonly ProxyIdentity identity;
    private readonly FakeResolver resolver = new();
    private readonly FakeTimeProvider time = new();
    private readonly SipMetrics metrics = new();

    public StrictRoutingTests()
    {
        listener = new SharedLogTransport(new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5062)), sent);
        identity = new ProxyIdentity([listener], ["sip-proxy.example.com"]);
    }

    public void Dispose() => metrics.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestUriIsOurRecordRoute_RestoredFromTheLastRouteWhichLeavesTheRouteSet_Rfc3261Section16_4(bool stateful)
    {
        var forwarded = await ForwardAsync(stateful, Request("BYE", "sip:sip-proxy.example.com;lr", "Route: <sip:10.0.0.7:5070;lr>, <sip:bob@192.0.2.20:5062>"));

        Assert.Equal("BYE sip:bob@192.0.2.20:5062 SIP/2.0", StartLine(forwarded));
        Assert.Equal(["<sip:10.0.0.7:5070;lr>"], RouteValues(forwarded));
        var routing = Assert.Single(resolver.Requests);
        Assert.Equal(new NextHop("10.0.0.7", 5070, IPAddress.Parse("10.0.0.7")), routing.Target);
        Assert.Equal(("bob", "192.0.2.20"), (routing.RequestUriUser, routing.RequestUriHost));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestUriIsOurAddressRecordRoute_TheLastRouteBecomesTheRequestUriAndTheNextHop_Rfc3261Section16_4(bool stateful)
    {
        var forwarded = await ForwardAsync(stateful, Request("BYE", "sip:127.0.0.1:5062;lr", "Route: <sip:bob@192.0.2.20:5062>"));

        Assert.Equal("BYE sip:bob@192.0.2.20:5062 SIP/2.0", StartLine(forwarded));
        Assert.Null(forwarded.Header("Route"));
        Assert.Equal(new NextHop("192.0.2.20", 5062, IPAddress.Parse("192.0.2.20")), Assert.Single(resolver.Requests).Target);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NextHopIsAStrictRouter_ItsRouteBecomesTheRequestUriAndTheRequestUriEndsTheRouteSet_Rfc3261Section16_6Step6(bool stateful)
    {
        var forwarded = await ForwardAsync(stateful, Request("BYE", "sip:bob@192.0.2.20:5062", "Route: <sip:sip-proxy.example.com;lr>, <sip:10.0.0.9:5080>, <sip:10.0.0.7;lr>"));

        Assert.Equal("BYE sip:10.0.0.9:5080 SIP/2.0", StartLine(forwarded));
        Assert.Equal(["<sip:10.0.0.7;lr>", "<sip:bob@192.0.2.20:5062>"], RouteValues(forwarded));
        Assert.Equal(new NextHop("10.0.0.9", 5080, IPAddress.Parse("10.0.0.9")), Assert.Single(resolver.Requests).Target);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StrictRoutersOnBothSides_RestoredThenSwappedForTheNextOne_Rfc3261Section16_4And16_6Step6(bool stateful)
    {
        var forwarded = await ForwardAsync(stateful, Request("BYE", "sip:sip-proxy.example.com;lr", "Route: <sip:10.0.0.9:5080>", "Route: <sip:bob@192.0.2.20:5062>"));

        Assert.Equal("BYE sip:10.0.0.9:5080 SIP/2.0", StartLine(forwarded));
        Assert.Equal(["<sip:bob@192.0.2.20:5062>"], RouteValues(forwarded));
        Assert.Equal(new NextHop("10.0.0.9", 5080, IPAddress.Parse("10.0.0.9")), Assert.Single(resolver.Requests).Target);
    }

    [Theory]
    [InlineData(false, "127.0.0.1")]
    [InlineData(false, "sip-proxy.example.com")]
    [InlineData(true, "127.0.0.1")]
    [InlineData(true, "sip-proxy.example.com")]
    public async Task MaddrNamingTheProxy_StrippedWithTheTransportAndTheNonDefaultPort_Rfc3261Section16_4(bool stateful, string maddr)
    {
        var forwarded = await ForwardAsync(stateful, Request("INVITE", $"sip:alice@example.com:5062;transport=udp;maddr={maddr};x-keep=1"));

        Assert.Equal("INVITE sip:alice@example.com;x-keep=1 SIP/2.0", StartLine(forwarded));
        Assert.Equal(new NextHop("example.com", 5060, null) { PortIsDefault = true }, Assert.Single(resolver.Requests).Target);
    }

    [Theory]
    [InlineData(false, "sip:alice@example.com:5062;maddr=192.0.2.99")]
    [InlineData(false, "sip:alice@example.com:5070;maddr=127.0.0.1")]
    [InlineData(false, "sip:alice@example.com:5062;transport=tcp;maddr=127.0.0.1")]
    [InlineData(true, "sip:alice@example.com:5062;maddr=192.0.2.99")]
    [InlineData(true, "sip:alice@example.com:5070;maddr=127.0.0.1")]
    [InlineData(true, "sip:alice@example.com:5062;transport=tcp;maddr=127.0.0.1")]
    public async Task MaddrNotOursOrAPortOrTransportTheRequestDidNotComeOn_LeftAsItIs_Rfc3261Section16_4(bool stateful, string requestUri)
    {
        var forwarded = await ForwardAsync(stateful, Request("INVITE", requestUri));

        Assert.Equal($"INVITE {requestUri} SIP/2.0", StartLine(forwarded));
    }

    private static string Request(string method, string requestUri, params string[] routes) =>
        $"{method} {requestUri} SIP/2.0\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKstrict;rport\n" +
        "Max-Forwards: 70\n" +
        string.Concat(routes.Select(route => route + "\n")) +
        $"To: <sip:bob@example.com>{(method == "INVITE" ? string.Empty : ";tag=srv1")}\n" +
        "From: <sip:alice@example.com>;tag=a1\n" +
        "Call-ID: strict@127.0.0.1\n" +
        $"CSeq: 2 {method}\n" +
        "Content-Length: 0\n" +
        "\n";

    private static string StartLine(SipMessage message) => message.Of(message.StartLine).TrimEnd('\r', '\n');

    private static string[] RouteValues(SipMessage message) => [.. message.Routes.Select(route => message.Of(route.Value))];

    /// <summary>The one request the proxy sent on; its own answers (100 Trying) are left out.</summary>
    private async Task<SipMessage> ForwardAsync(bool stateful, string request)
    {
        if (stateful)
        {
            var proxy = new StatefulProxy(identity, resolver, new StatefulProxyOptions(), metrics, time, NullLoggerFactory.Instance);
            try
            {
                await proxy.HandleAsync(SipText.Wire(request), Caller, listener, CancellationToken.None);
            }
            finally
            {
                proxy.Stop();
            }
        }
        else
        {
            var proxy = new StatelessProxy(identity, resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance, time);
            await proxy.HandleAsync(SipText.Wire(request), Caller, listener, CancellationToken.None);
        }

        var text = Assert.Single(sent, message => !message.Text.StartsWith("SIP/2.0 ", StringComparison.Ordinal)).Text;
        var forwarded = SipText.Parse(text);
        Assert.Equal(SipParseError.None, forwarded.Error);
        return forwarded;
    }
}
