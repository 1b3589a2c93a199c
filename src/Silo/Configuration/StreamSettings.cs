using System.Security.Cryptography.X509Certificates;

namespace OrleansProxy.Silo.Configuration;

/// <summary>How TCP and TLS connections are bounded and secured ("Proxy:Connections", "Proxy:Tls").</summary>
/// <param name="Certificate">This proxy's certificate with its key: presented by TLS listeners and to servers that ask for a client certificate.</param>
/// <param name="ClientAuthorities">The CAs a user agent's certificate must chain to when client certificates are required.</param>
/// <param name="ServerAuthorities">The CAs a server's certificate must chain to; null = the system's trust store.</param>
internal sealed record StreamSettings(
    TimeSpan IdleTimeout,
    TimeSpan ConnectTimeout,
    int MaxConnections,
    int MaxConnectionsPerPeer,
    X509Certificate2? Certificate,
    bool RequireClientCertificate,
    X509Certificate2Collection? ClientAuthorities,
    X509Certificate2Collection? ServerAuthorities,
    bool SkipServerCertificateValidation)
{
    public static StreamSettings Default { get; } = new(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(2), 4096, 64, null, false, null, null, false);
}
