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

    [Theory]
    [InlineData("INVITE")]
    [InlineData("MESSAGE")]
    public async Task Rfc3261_16_3_Step4_BackWithEveryRoutingFieldAsItWas_Gets482(string method)
    {
        var back = await ComeBackAsync(Invite.Replace("INVITE", method, StringComparison.Ordinal));

        await proxy.AssertAnsweredAsync(back, "SIP/2.0 482 Loop Detected");
    }

    [Theory]
    [InlineData(RouteLine, "Route: <sip:sip-proxy.example.com;lr>, <sip:voicemail.example.net;lr>\n")]
    [InlineData(RouteLine, "Route: <sip:sip-proxy.example.com;lr>, <sip:app.example.net;lr;mode=2>\n")]
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

    /// <summary>
    /// RFC 3261 §16.11: a stateless proxy gives a CANCEL and a non-2xx ACK the branch it gave their INVITE, or the next
    /// hop cannot match them (§9.1, §17.1.1.3). They copy the INVITE's Request-URI, Call-ID, From, CSeq number and
    /// Route, but not its credentials, and the ACK carries the To tag of the response: none of that may move the hash.
    /// </summary>
    [Fact]
    public async Task Rfc3261_16_11_CancelAndNon2xxAckWithoutTheInvitesCredentials_TakeItsBranch()
    {
        var credentials = Invite.IndexOf("Proxy-Authorization:", StringComparison.Ordinal);
        var withoutCredentials = Invite.Remove(credentials, Invite.IndexOf('\n', credentials) + 1 - credentials);
        var cancel = withoutCredentials.Replace("INVITE sip:", "CANCEL sip:", StringComparison.Ordinal).Replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL", StringComparison.Ordinal);
        var ack = withoutCredentials.Replace("INVITE sip:", "ACK sip:", StringComparison.Ordinal).Replace("CSeq: 1 INVITE", "CSeq: 1 ACK", StringComparison.Ordinal)
            .Replace("To: <sip:user@example.com>", "To: <sip:user@example.com>;tag=callee487", StringComparison.Ordinal);

        var invite = await OurViaAsync(Invite);

        Assert.Equal(invite, await OurViaAsync(cancel));
        Assert.Equal(invite, await OurViaAsync(ack));
    }

    [Theory]
    [InlineData("response=\"r1\"", "response=\"r2\"")]
    [InlineData("Proxy-Authorization: Digest username=\"alice\"", "Proxy-Authorization: Digest username=\"bob\"")]
    public async Task Rfc5393_4_2_NonInviteBackWithOtherCredentials_IsASpiralAndForwarded(string original, string changed)
    {
        var message = Invite.Replace("INVITE sip:", "MESSAGE sip:", StringComparison.Ordinal).Replace("CSeq: 1 INVITE", "CSeq: 1 MESSAGE", StringComparison.Ordinal);
        var back = (await ComeBackAsync(message)).Replace(original, changed, StringComparison.Ordinal);

        await proxy.AssertForwardedAsync(
            back,
            recordRoute: false,
            ("Max-Forwards: 8", "Max-Forwards: 7"),
            ("z9hG4bKhop2\n", "z9hG4bKhop2;received=127.0.0.1\n"),
            ("Route: <sip:sip-proxy.example.com;lr>, ", "Route: "));
    }

    /// <summary>The Via line (without its line end) the proxy puts on <paramref name="request"/> as it forwards it.</summary>
    private async Task<string> OurViaAsync(string request)
    {
        await proxy.AssertForwardedAsync(request, recordRoute: request.StartsWith("INVITE", StringComparison.Ordinal), ("Max-Forwards: 10", "Max-Forwards: 9"), ("Route: <sip:sip-proxy.example.com;lr>, ", "Route: "));
        var forwarded = TortureProxy.Text(proxy.Transport.Sent.Single().Bytes);
        return forwarded.Split('\n')[1];
    }

    /// <summary>
    /// <paramref name="request"/> forwarded by the proxy, then as it reaches the proxy again through one more hop: that
    /// hop's Via over ours, Max-Forwards two lower, every other field as the caller sent it.
    /// </summary>
    private async Task<string> ComeBackAsync(string request = Invite)
    {
        var ourVia = await OurViaAsync(request) + "\n";
        var startLineEnd = request.IndexOf('\n', StringComparison.Ordinal) + 1;

        // Back through another proxy on port 6000; without rport a 482 goes to the port its Via names (§18.2.2).
        return request[..startLineEnd] + "Via: SIP/2.0/UDP 192.0.2.99:6000;branch=z9hG4bKhop2\n" + ourVia + request[startLineEnd..].Replace("Max-Forwards: 10", "Max-Forwards: 8", StringComparison.Ordinal);
    }
}
