using System.Diagnostics.CodeAnalysis;
using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>Sends a response back along the Via path (RFC 3261 §16.7, §18.2.2): pops our Via and finds the next one's address.</summary>
public static class ResponseForwarder
{
    /// <param name="outgoing">The transport the response leaves on: a stream needs its Content-Length (§18.3).</param>
    public static PooledBuffer Write(SipMessage response, SipTransportKind outgoing)
    {
        Span<MessageEdits.Edit> editSlots = stackalloc MessageEdits.Edit[3];
        Span<byte> scratch = stackalloc byte[32];
        var edits = new MessageEdits(editSlots, scratch);
        ListValueRemoval.Remove(response, response.Vias, 0, ref edits);
        StreamFraming.AddContentLength(response, outgoing, ref edits);
        var original = response.Span[..response.FramedLength];
        var buffer = new PooledBuffer(original.Length + Math.Max(edits.Delta, 0));
        buffer.Length = edits.WriteTo(original, buffer.Free);
        return buffer;
    }

    /// <summary>
    /// Where a response goes, from the Via below ours: received (else sent-by host) and rport (else sent-by
    /// port, else the transport's default port), over the transport that Via names. Host names are not resolved
    /// here: a sender we stamped always has received=.
    /// </summary>
    public static bool TryGetDestination(SipMessage response, [NotNullWhen(true)] out IPEndPoint? destination, out SipTransportKind transport)
    {
        destination = null;
        transport = SipTransportKind.Udp;
        if (response.Vias.Count < 2)
        {
            return false;
        }

        var text = response[response.Vias[1].Value];
        if (!Via.TryParse(text, out var via) || !SipTransportNames.TryParse(text[via.Transport], out transport))
        {
            return false;
        }

        if (!TryGetSenderAddress(text, via, out var address))
        {
            return false;
        }

        var port = via.Port == 0 ? transport.DefaultPort() : via.Port;
        if (via.TryGetParameter(text, "rport"u8, out var rport) && Parsing.SipSyntax.TryParseDigits(text[rport], out var rportValue)
            && rportValue is > 0 and <= 65535)
        {
            port = rportValue;
        }

        destination = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>
    /// Where the recipient of an outgoing response listens (§18.2.2), from its Via, the top one: the address its
    /// request came from (received, else the sent-by host) at the sent-by port, else the transport's default. Over
    /// TCP and TLS the port a request came from is one of the moment; when that connection is gone, the response
    /// goes here.
    /// </summary>
    public static bool TryGetListeningAddress(ReadOnlyMemory<byte> response, [NotNullWhen(true)] out IPEndPoint? listening)
    {
        listening = null;
        var message = new SipMessage();
        if (!Parsing.SipParser.TryParse(response, message, Parsing.SipParseLimits.Default) || message.IsRequest || message.Vias.Count == 0)
        {
            return false;
        }

        if (!message.TryGetTopVia(out var text, out var via) || !SipTransportNames.TryParse(text[via.Transport], out var transport)
            || !TryGetSenderAddress(text, via, out var address))
        {
            return false;
        }

        listening = new IPEndPoint(address, via.Port == 0 ? transport.DefaultPort() : via.Port);
        return true;
    }

    private static bool TryGetSenderAddress(ReadOnlySpan<byte> viaText, Via via, out IPAddress address)
    {
        // received= may carry IPv6 brackets although the ABNF has none: RFC 5118 §4.5 asks to accept both.
        var host = via.TryGetParameter(viaText, "received"u8, out var received) && received.Start.Value != received.End.Value
            ? Uri.SipUri.HostWithoutBrackets(viaText[received])
            : Uri.SipUri.HostWithoutBrackets(viaText[via.Host]);
        return IPAddress.TryParse(host, out address!) && IsUnicast(address);
    }

    // A Via naming a broadcast, multicast or unspecified address would spray the response (RFC 4475 §3.3.10).
    private static bool IsUnicast(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return !address.IsIPv6Multicast && !address.Equals(IPAddress.IPv6Any);
        }

        Span<byte> octets = stackalloc byte[4];
        address.TryWriteBytes(octets, out _);
        return octets[0] is not (0 or >= 224);
    }
}
