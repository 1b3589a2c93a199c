using System.Security.Cryptography.X509Certificates;

namespace OrleansProxy.Sip.Transport;

/// <param name="Certificate">Our certificate, with its private key.</param>
/// <param name="RequireClientCertificate">Mutual TLS: a client without a certificate that chains to <paramref name="ClientAuthorities"/> is refused.</param>
/// <param name="ClientAuthorities">The roots a client certificate must chain to; null means the system store.</param>
public sealed record TlsServerSettings(X509Certificate2 Certificate, bool RequireClientCertificate = false, X509Certificate2Collection? ClientAuthorities = null);
