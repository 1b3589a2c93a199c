using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansProxy.TestSupport;

/// <summary>
/// A test CA with the certificates it signed (a server one for localhost, 127.0.0.1 and ::1, a server one for
/// another name only, a client one), and a server certificate from a CA nobody trusts, all made in memory once per
/// test run. Leaves go through a PKCS#12 round trip: on Linux SslStream needs a private key it can export, which a
/// key attached in memory is not. <see cref="TestCertificateFiles"/> writes them as PEM files.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<Set> Certificates = new(Create);

    public static X509Certificate2 Authority => Certificates.Value.Authority;

    public static X509Certificate2Collection Authorities => [Certificates.Value.Authority];

    public static X509Certificate2 Server => Certificates.Value.Server;

    /// <summary>Signed by <see cref="Authority"/> for sip.other.example alone: not for localhost nor any address.</summary>
    public static X509Certificate2 OtherNameServer => Certificates.Value.OtherNameServer;

    public static X509Certificate2 Client => Certificates.Value.Client;

    /// <summary>A CA that signed none of the certificates above; it signed <see cref="UntrustedServer"/>.</summary>
    public static X509Certificate2 UntrustedAuthority => Certificates.Value.UntrustedAuthority;

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
            CreateLeaf(authority, "CN=localhost", serverAuth: true, AddLoopback),
            CreateLeaf(authority, "CN=sip.other.example", serverAuth: true, names => names.AddDnsName("sip.other.example")),
            CreateLeaf(authority, "CN=proxy client", serverAuth: false, addNames: null),
            stranger,
            CreateLeaf(stranger, "CN=localhost", serverAuth: true, AddLoopback));
    }

    private static X509Certificate2 CreateAuthority(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string subject, bool serverAuth, Action<SubjectAlternativeNameBuilder>? addNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oid.FromOidValue(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2", OidGroup.EnhancedKeyUsage)], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (addNames is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            addNames(names);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    private static void AddLoopback(SubjectAlternativeNameBuilder names)
    {
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
    }

    private sealed record Set(
        X509Certificate2 Authority,
        X509Certificate2 Server,
        X509Certificate2 OtherNameServer,
        X509Certificate2 Client,
        X509Certificate2 UntrustedAuthority,
        X509Certificate2 UntrustedServer);
}
