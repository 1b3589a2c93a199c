using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>
/// A test CA with a server and a client certificate it signed, and a server certificate from a CA nobody trusts,
/// all made in memory once per test run. Leaves go through a PKCS#12 round trip: on Linux SslStream needs a
/// private key it can export, which a key attached in memory is not.
/// </summary>
internal static class TestCertificates
{
    private static readonly Lazy<Set> Certificates = new(Create);

    public static X509Certificate2 Authority => Certificates.Value.Authority;

    public static X509Certificate2Collection Authorities => [Certificates.Value.Authority];

    public static X509Certificate2 Server => Certificates.Value.Server;

    public static X509Certificate2 Client => Certificates.Value.Client;

    /// <summary>Names localhost, 127.0.0.1 and ::1 like <see cref="Server"/>, but signed by a CA no test trusts.</summary>
    public static X509Certificate2 UntrustedServer => Certificates.Value.UntrustedServer;

    private static Set Create()
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authority = CreateAuthority("CN=OrleansProxy Test CA", authorityKey);
        var stranger = CreateAuthority("CN=Stranger CA", strangerKey);
        return new Set(
            authority,
            CreateLeaf(authority, "CN=localhost", serverAuth: true),
            CreateLeaf(authority, "CN=proxy client", serverAuth: false),
            CreateLeaf(stranger, "CN=localhost", serverAuth: true));
    }

    private static X509Certificate2 CreateAuthority(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oid.FromOidValue(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2", OidGroup.EnhancedKeyUsage)], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    private sealed record Set(X509Certificate2 Authority, X509Certificate2 Server, X509Certificate2 Client, X509Certificate2 UntrustedServer);
}
