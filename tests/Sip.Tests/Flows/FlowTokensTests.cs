using System.Collections.Concurrent;
using System.Net;
using System.Text;
using OrleansProxy.Sip.Flows;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Flows;

/// <summary>RFC 5626 §5.2: a flow token names the flow it was made for, to this process only.</summary>
public sealed class FlowTokensTests
{
    private static readonly ConcurrentQueue<(string Text, IPEndPoint Destination, LocalHop Hop)> Unused = new();
    private static readonly SharedLogTransport Udp = new(new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), Unused);
    private static readonly SharedLogTransport Tcp = new(new LocalHop(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5060)), Unused);

    private readonly FlowTokens tokens = new([Udp, Tcp]);

    public static TheoryData<string, bool, long> Flows => new()
    {
        { "192.0.2.7:40123", false, 0 },
        { "192.0.2.7:40123", true, 42 },
        { "[2001:db8::7]:5062", false, 0 },
        { "[2001:db8::7]:5062", true, long.MaxValue },
    };

    [Theory]
    [MemberData(nameof(Flows))]
    public void Rfc5626_5_2_Token_OpensToTheFlowItWasMadeFor(string remote, bool stream, long connectionId)
    {
        var flow = new Flow(stream ? Tcp : Udp, IPEndPoint.Parse(remote), connectionId);

        var token = Write(tokens, flow);

        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.InRange(token.Length, 1, FlowTokens.MaxLength);
        Assert.Equal(FlowTokenStatus.Valid, tokens.Read(Encoding.ASCII.GetBytes(token), out var opened));
        Assert.Equal(flow, opened);
    }

    [Fact]
    public void Rfc5626_5_2_TokenOfAnotherRun_IsKnownAsSuchNotAsForged()
    {
        var token = Write(new FlowTokens([Udp, Tcp]), new Flow(Tcp, IPEndPoint.Parse("192.0.2.7:40123"), 7));

        Assert.Equal(FlowTokenStatus.OtherRun, tokens.Read(Encoding.ASCII.GetBytes(token), out _));
    }

    [Fact]
    public void Rfc5626_5_2_TokenWithItsAddressChanged_IsForged()
    {
        var token = Encoding.ASCII.GetBytes(Write(tokens, new Flow(Udp, IPEndPoint.Parse("192.0.2.7:40123"), 0)));

        // The seventh character holds bits of the address alone: the shape and the epoch stay, the seal no longer fits.
        token[6] = token[6] == (byte)'A' ? (byte)'B' : (byte)'A';

        Assert.Equal(FlowTokenStatus.Forged, tokens.Read(token, out _));
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("+4940123456")]
    [InlineData("a!b")]
    public void Rfc5626_5_3_OrdinaryUserPart_IsNotAToken(string user)
    {
        Assert.Equal(FlowTokenStatus.NotAToken, tokens.Read(Encoding.ASCII.GetBytes(user), out _));
    }

    [Fact]
    public void Write_FlowOnAListenerNotOfThisProxy_WritesNothing()
    {
        var other = new SharedLogTransport(new LocalHop(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5070)), Unused);

        Assert.Equal(0, tokens.Write(new Flow(other, IPEndPoint.Parse("192.0.2.7:40123"), 0), new byte[FlowTokens.MaxLength]));
    }

    private static string Write(FlowTokens tokens, Flow flow)
    {
        var buffer = new byte[FlowTokens.MaxLength];
        return Encoding.ASCII.GetString(buffer, 0, tokens.Write(flow, buffer));
    }
}
