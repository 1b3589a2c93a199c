using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Capture;

/// <summary>One message waiting for the HEP sender: a pooled copy of its bytes and what HEP says about it.</summary>
/// <param name="Buffer">Rented from the shared array pool; the sender returns it.</param>
internal readonly record struct CapturedMessage(
    byte[] Buffer,
    int Length,
    SipTransportKind Transport,
    IPEndPoint Source,
    IPEndPoint Destination,
    long UnixMicroseconds);
