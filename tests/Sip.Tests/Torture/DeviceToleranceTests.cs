namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>
/// What phones, gateways and SBCs send that a strict reading of RFC 3261 §25.1 would refuse, or that a proxy must
/// route although it names no host: each is forwarded, so only true faults get a 400.
/// </summary>
public sealed class DeviceToleranceTests : IDisposable
{
    private const string Rest =
        "To: <sip:user@example.com>\n" +
        "From: <sip:caller@example.net>;tag=dev1\n" +
        "Max-Forwards: 70\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKdevice\n" +
        "Call-ID: device.1@127.0.0.1\n";

    private readonly TortureProxy proxy = new();

    public void Dispose() => proxy.Dispose();

    [Theory]
    [InlineData("Jürgen Müller <sip:j@example.com>;tag=1", "<sip:user@example.com>")]
    [InlineData("山田 太郎<sip:yamada@example.com>;tag=1", "<sip:user@example.com>")]
    [InlineData("<sip:o@example.com>;tag=1", "Zoë Ødegård <sip:user@example.com>")]
    public async Task UnquotedUtf8DisplayName_ForwardedIntact(string from, string to)
    {
        var request = $"OPTIONS sip:user@example.com SIP/2.0\nFrom: {from}\nTo: {to}\n" + Rest[Rest.IndexOf("Max-Forwards", StringComparison.Ordinal)..] + "CSeq: 1 OPTIONS\nl: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    [Fact]
    public async Task UnderscoreInTheRequestUriHost_ForwardedToThatHost()
    {
        var request = "INVITE sip:alice@my_host.example.com SIP/2.0\n" + Rest + "CSeq: 1 INVITE\nContact: <sip:caller@pc_7.example.net>\nl: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: true, ("Max-Forwards: 70", "Max-Forwards: 69"));
        Assert.Equal("my_host.example.com", Assert.Single(proxy.Resolver.Requests).Target!.Host);
    }

    [Theory]
    [InlineData("INVITE", "tel:+1-201-555-0123", "+12015550123")]
    [InlineData("INVITE", "tel:7042;phone-context=example.com", "7042")]
    [InlineData("OPTIONS", "TEL:+49(30)1234.56", "+4930123456")]
    public async Task Rfc3966_TelRequestUriFromAUserAgent_GoesToTheRoutingRulesWithItsNumber(string method, string requestUri, string number)
    {
        var request = $"{method} {requestUri} SIP/2.0\n" + Rest + $"CSeq: 1 {method}\nl: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: method == "INVITE", ("Max-Forwards: 70", "Max-Forwards: 69"));
        var routed = Assert.Single(proxy.Resolver.Requests);
        Assert.Equal((null, number, string.Empty), (routed.Target, routed.RequestUriUser, routed.RequestUriHost));
    }

    [Fact]
    public async Task Rfc3261_8_1_1_6_RequestThatCrossedSeventyProxies_Forwarded()
    {
        var path = string.Concat(Enumerable.Range(1, 70).Select(i => $"Via: SIP/2.0/UDP 192.0.2.{i};branch=z9hG4bKhop{i}\n"));
        var request = "OPTIONS sip:user@example.com SIP/2.0\n" + Rest.Replace("Max-Forwards: 70", "Max-Forwards: 1", StringComparison.Ordinal) + path + "CSeq: 1 OPTIONS\nl: 0\n\n";

        await proxy.AssertForwardedAsync(request, recordRoute: false, ("Max-Forwards: 1", "Max-Forwards: 0"));
    }
}
