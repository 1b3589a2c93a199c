namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>
/// RFC 3261 §16.3 step 4 and §16.6 step 8, as RFC 5393 §4.2 tightens them: a request that comes back with our Via
/// in it has looped only when everything that routes or admits it is as it was; otherwise it is a spiral and is
/// forwarded again.
/// </summary>
public sealed class Rfc5393LoopDetectionTests : IDisposable
{
    private const string RouteLine = "Route: <sip:sip-proxy.example.com;lr>, <sip:app.example.net;lr>\n";

    private const string Invite =
        "INVITE sip:user@example.com SIP/2.0\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKloop1\n" +
        RouteLine +
        "Proxy-Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", uri=\"sip:user@example.com\", response=\"r1\"\n" +
        "To: <sip:user@example.com>\n" +
        "From: <sip:caller@example.net>;tag=loop77\n" +
        "Max-Forwards: 10\n" +
        "Call-ID: loop.1@127.0.0.1\n" +
        "CSeq: 1 INVITE\n" +
        "l: 0\n" +
        "\n";

    private readonly TortureProxy proxy = new();

    public void Dispose() => proxy.Dispose();

    [Fact]
    public async Task Rfc3261_16_3_Step4_BackWithEveryRoutingFieldAsItWas_Gets482()
    {
        var back = await ComeBackAsync();

        await proxy.AssertAnsweredAsync(back, "SIP/2.0 482 Loop Detected");
    }

    [Theory]
    [InlineData(RouteLine, "Route: <sip:sip-proxy.example.com;lr>, <sip:voicemail.example.net;lr>\n")]
    [InlineData(RouteLine, "Route: <sip:sip-proxy.example.com;lr>, <sip:app.example.net;lr;mode=2>\n")]
    [InlineData("response=\"r1\"", "response=\"r2\"")]
    [InlineData("Proxy-Authorization: Digest username=\"alice\"", "Proxy-Authorization: Digest username=\"bob\"")]
    [InlineData("INVITE sip:user@example.com SIP/2.0", "INVITE sip:user-forwarded@example.com SIP/2.0")]
    public async Task Rfc5393_4_2_BackWithARoutingFieldChanged_IsASpiralAndForwarded(string original, string changed)
    {
        var back = (await ComeBackAsync()).Replace(original, changed, StringComparison.Ordinal);

        await proxy.AssertForwardedAsync(
            back,
            recordRoute: true,
            ("Max-Forwards: 8", "Max-Forwards: 7"),
            ("z9hG4bKhop2\n", "z9hG4bKhop2;received=127.0.0.1\n"),
            ("Route: <sip:sip-proxy.example.com;lr>, ", "Route: "));
    }

    [Fact]
    public async Task Rfc5393_4_2_BackWithoutItsProxyAuthorization_IsASpiralAndForwarded()
    {
        var back = await ComeBackAsync();
        var credentials = back.IndexOf("Proxy-Authorization:", StringComparison.Ordinal);
        back = back.Remove(credentials, back.IndexOf('\n', credentials) + 1 - credentials);

        await proxy.AssertForwardedAsync(
            back,
            recordRoute: true,
            ("Max-Forwards: 8", "Max-Forwards: 7"),
            ("z9hG4bKhop2\n", "z9hG4bKhop2;received=127.0.0.1\n"),
            ("Route: <sip:sip-proxy.example.com;lr>, ", "Route: "));
    }

    /// <summary>
    /// <see cref="Invite"/> forwarded by the proxy, then as it reaches the proxy again through one more hop: that hop's
    /// Via over ours, Max-Forwards two lower, every other field as the caller sent it.
    /// </summary>
    private async Task<string> ComeBackAsync()
    {
        await proxy.AssertForwardedAsync(Invite, recordRoute: true, ("Max-Forwards: 10", "Max-Forwards: 9"), ("Route: <sip:sip-proxy.example.com;lr>, ", "Route: "));
        var forwarded = TortureProxy.Text(proxy.Transport.Sent.Single().Bytes);
        var ourVia = forwarded.Split('\n')[1] + "\n";
        var startLineEnd = Invite.IndexOf('\n', StringComparison.Ordinal) + 1;
        return Invite[..startLineEnd] + "Via: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKhop2\n" + ourVia + Invite[startLineEnd..].Replace("Max-Forwards: 10", "Max-Forwards: 8", StringComparison.Ordinal);
    }
}
