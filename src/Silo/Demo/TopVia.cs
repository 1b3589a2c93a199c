using System.Net;
using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Silo.Demo;

/// <summary>What the demo's peers read from the topmost Via: the transaction branch, and where a response goes.</summary>
internal static class TopVia
{
    public static string? Branch(SipMessage message)
    {
        var text = message[message.Vias[0].Value];
        return Via.TryParse(text, out var via) && via.TryGetParameter(text, "branch"u8, out var branch)
            ? Encoding.ASCII.GetString(text[branch])
            : null;
    }

    /// <summary>
    /// RFC 3261 §18.2.2 with RFC 3581: received (else the sent-by host), rport (else the sent-by port, else 5060).
    /// Falls back to <paramref name="source"/> when the Via names a host rather than an address.
    /// </summary>
    public static IPEndPoint ResponseDestination(SipMessage request, IPEndPoint source)
    {
        var text = request[request.Vias[0].Value];
        if (!Via.TryParse(text, out var via))
        {
            return source;
        }

        var host = via.TryGetParameter(text, "received"u8, out var received) && received.Start.Value != received.End.Value
            ? text[received]
            : text[via.Host];
        if (!IPAddress.TryParse(SipUri.HostWithoutBrackets(host), out var address))
        {
            return source;
        }

        var port = via.Port == 0 ? 5060 : via.Port;
        if (via.TryGetParameter(text, "rport"u8, out var rport) && SipSyntax.TryParseDigits(text[rport], out var rportValue)
            && rportValue is > 0 and <= 65535)
        {
            port = rportValue;
        }

        return new IPEndPoint(address, port);
    }
}
