namespace OrleansProxy.Silo.Configuration;

/// <summary>Transports the front-end can listen on; "tcp://" and "tls://" parse but are refused until they exist.</summary>
internal enum ListenTransport
{
    Udp = 0,
}
