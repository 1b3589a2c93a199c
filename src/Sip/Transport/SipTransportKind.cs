namespace OrleansProxy.Sip.Transport;

public enum SipTransportKind : byte
{
    Udp = 0,
    Tcp,
    Tls,
}
