using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// Where the responses to a received request go (RFC 3261 §18.2.2, RFC 3581 §4): over TCP and TLS back on the
/// connection it came on, or, once that connection is gone, to where its sender listens; over UDP to the address it
/// came from, which is what received= records, at the port it came from when its Via asked for rport, else at its
/// sent-by port (5060 when none), where a sender that did not ask listens. Never to the sent-by host: a phone behind
/// NAT names a private address there.
/// </summary>
public static class ResponseDestination
{
    public static IPEndPoint Of(SipMessage request, IPEndPoint source, SipTransportKind arrivedOn)
    {
        if (arrivedOn.IsStream() || request.Vias.Count == 0)
        {
            return source;
        }

        if (!request.TryGetTopVia(out _, out var via) || request.TopViaRport.IsPresent)
        {
            return source;
        }

        var port = via.Port != 0 ? via.Port : SipTransportKind.Udp.DefaultPort();
        return port == source.Port ? source : new IPEndPoint(source.Address, port);
    }

    /// <summary>
    /// Sends <paramref name="response"/> to <paramref name="destination"/> (<see cref="Of"/>). On a stream whose
    /// connection with it is gone, or breaks under it, the response goes to where its recipient listens instead: the
    /// address its request came from at the port its Via's sent-by names, not the port of a connection of the moment.
    /// </summary>
    /// <returns>False when no way delivered it (logged and counted by the transport).</returns>
    public static async ValueTask<bool> SendAsync(ISipTransport transport, ReadOnlyMemory<byte> response, IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (!transport.Hop.Transport.IsStream())
        {
            return await transport.SendAsync(response, destination, cancellationToken).ConfigureAwait(false);
        }

        // A connection to the port a request came from is never opened: nothing listens there.
        var connected = transport is not StreamTransport stream || stream.TryGetConnectionId(destination, out _);
        if (connected && await transport.SendAsync(response, destination, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        if (ResponseForwarder.TryGetListeningAddress(response, out var listening) && !listening.Equals(destination))
        {
            return await transport.SendAsync(response, listening, cancellationToken).ConfigureAwait(false);
        }

        return !connected && await transport.SendAsync(response, destination, cancellationToken).ConfigureAwait(false);
    }
}
