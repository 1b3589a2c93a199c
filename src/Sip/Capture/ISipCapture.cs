using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Capture;

/// <summary>
/// Sees every SIP message a transport receives or sends, with both ends. Called on the SIP path itself, so an
/// implementation must copy what it needs and return at once: it may never block, wait or throw.
/// </summary>
public interface ISipCapture
{
    /// <param name="message">The exact bytes as received; valid only during the call.</param>
    /// <param name="local">The address and port the message arrived on.</param>
    /// <param name="remote">The address and port it came from.</param>
    void OnReceived(ReadOnlySpan<byte> message, SipTransportKind transport, IPEndPoint local, IPEndPoint remote);

    /// <param name="message">The exact bytes as sent; valid only during the call.</param>
    /// <param name="local">The address and port the message left from.</param>
    /// <param name="remote">The address and port it went to.</param>
    void OnSent(ReadOnlySpan<byte> message, SipTransportKind transport, IPEndPoint local, IPEndPoint remote);
}
