using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// Turns <see cref="TlsServerSettings"/> and <see cref="TlsClientSettings"/> into SslStream options: TLS 1.2 or later,
/// chains built against the configured roots only (CustomRootTrust) when roots are given. Revocation is not checked:
/// private SIP CAs rarely publish revocation lists, and an unreachable one would stall every handshake.
/// </summary>
internal sealed class TlsAuthentication
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private readonly TlsServerSettings? server;
    private readonly TlsClientSettings client;
    private readonly SslStreamCertificateContext? serverCertificate;
    private readonly SslStreamCertificateContext? clientCertificate;

    public TlsAuthentication(TlsServerSettings? server, TlsClientSettings? client)
    {
        this.server = server;
        this.client = client ?? new TlsClientSettings();

        // Built once: it resolves the certificate's chain, which costs too much to repeat per connection.
        serverCertificate = server is null ? null : SslStreamCertificateContext.Create(server.Certificate, additionalCertificates: null, offline: true);
        clientCertificate = this.client.ClientCertificate is null ? null : SslStreamCertificateContext.Create(this.client.ClientCertificate, additionalCertificates: null, offline: true);
    }

    public SslServerAuthenticationOptions ServerOptions()
    {
        if (server is null || serverCertificate is null)
        {
            throw new InvalidOperationException("A TLS listener needs TlsServerSettings.");
        }

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = serverCertificate,
            EnabledSslProtocols = Protocols,
            ClientCertificateRequired = server.RequireClientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (server.RequireClientCertificate)
        {
            if (server.ClientAuthorities is not null)
            {
                options.CertificateChainPolicy = CustomRoots(server.ClientAuthorities);
            }

            // Any error, a missing certificate included, refuses the client.
            options.RemoteCertificateValidationCallback = static (_, certificate, _, errors) => certificate is not null && errors == SslPolicyErrors.None;
        }

        return options;
    }

    public SslClientAuthenticationOptions ClientOptions(IPEndPoint destination)
    {
        var hostName = client.TargetHostFor?.Invoke(destination);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = hostName ?? destination.Address.ToString(),
            EnabledSslProtocols = Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        // A context, not a collection to choose from: our one certificate is sent whatever issuers the server lists.
        options.ClientCertificateContext = clientCertificate;
        if (client.SkipCertificateValidation)
        {
            // Asked for explicitly, for labs; the transport logs a warning when it is created.
#pragma warning disable CA5359
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
            return options;
        }

        if (client.TrustedAuthorities is not null)
        {
            options.CertificateChainPolicy = CustomRoots(client.TrustedAuthorities);
        }

        // With no name to check, a certificate that chains to a trusted root is enough.
        options.RemoteCertificateValidationCallback = hostName is null
            ? static (_, certificate, _, errors) => certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
            : static (_, certificate, _, errors) => certificate is not null && errors == SslPolicyErrors.None;
        return options;
    }

    private static X509ChainPolicy CustomRoots(X509Certificate2Collection authorities)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(authorities);
        return policy;
    }
}
