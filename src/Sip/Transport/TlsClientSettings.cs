using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace OrleansProxy.Sip.Transport;

/// <param name="TrustedAuthorities">The roots a server's chain must end in; null means the system store.</param>
/// <param name="SkipCertificateValidation">Accepts any server certificate. For labs only: a warning is logged when the transport is created.</param>
/// <param name="ClientCertificate">Presented when the server asks for one (mutual TLS).</param>
/// <param name="TargetHostFor">
/// The host name a server's certificate must carry, by destination. When it is null or returns null only the chain
/// is checked: a destination known by its address alone has no name to check.
/// </param>
public sealed record TlsClientSettings(
    X509Certificate2Collection? TrustedAuthorities = null,
    bool SkipCertificateValidation = false,
    X509Certificate2? ClientCertificate = null,
    Func<IPEndPoint, string?>? TargetHostFor = null);
