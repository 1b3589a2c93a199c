namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>How a sipp process carries SIP: <c>-t u1</c> (one UDP socket) or <c>-t t1</c> (one TCP connection).</summary>
internal enum SippTransport
{
    Udp,
    Tcp,
}
