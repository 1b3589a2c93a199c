using OrleansProxy.Silo.Configuration;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.FrontEnd;

internal static class StreamTransportOptionsMapping
{
    /// <summary>
    /// The transport options of the validated configuration. The proxy presents its own certificate to servers
    /// that ask for a client certificate; a server's certificate is checked for its chain, and for the name
    /// <paramref name="serverNames"/> knows for its address (a server known by address alone has none).
    /// </summary>
    public static StreamTransportOptions ToTransportOptions(this StreamSettings settings, int maxMessageBytes, TlsServerNames serverNames) => new()
    {
        MaxConnections = settings.MaxConnections,
        MaxConnectionsPerPeer = settings.MaxConnectionsPerPeer,
        IdleTimeout = settings.IdleTimeout,
        ConnectTimeout = settings.ConnectTimeout,
        MaxMessageBytes = maxMessageBytes,
        TlsServer = settings.Certificate is null ? null : new TlsServerSettings(settings.Certificate, settings.RequireClientCertificate, settings.ClientAuthorities),
        TlsClient = new TlsClientSettings(settings.ServerAuthorities, settings.SkipServerCertificateValidation, settings.Certificate, serverNames.For),
    };
}
