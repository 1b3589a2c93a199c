namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// How a sipp process carries SIP: <c>-t u1</c> (one UDP socket), <c>-t t1</c> (one TCP connection) or, for a UAC,
/// <c>-t tn</c> (a TCP connection per call).
/// </summary>
internal enum SippTransport
{
    Udp,
    Tcp,
    TcpPerCall,
}
