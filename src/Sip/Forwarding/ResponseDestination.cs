using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// Where the responses to a received request go (RFC 3261 §18.2.2, RFC 3581 §4): over TCP and TLS back on the
/// connection it came on; over UDP to the address it came from, which is what received= records, at the port it came
/// from when its Via asked for rport, else at its sent-by port (5060 when none), where a sender that did not ask listens.
/// Never to the sent-by host: a phone behind NAT names a private address there.
/// </summary>
public static class ResponseDestination
{
    public static IPEndPoint Of(SipMessage request, IPEndPoint source, SipTransportKind arrivedOn)
    {
        if (arrivedOn.IsStream() || request.Vias.Count == 0)
        {
            return source;
        }

        var text = request[request.Vias[0].Value];
        if (!Via.TryParse(text, out var via) || via.TryGetParameter(text, "rport"u8, out _))
        {
            return source;
        }

        var port = via.Port != 0 ? via.Port : SipTransportKind.Udp.DefaultPort();
        return port == source.Port ? source : new IPEndPoint(source.Address, port);
    }
}
