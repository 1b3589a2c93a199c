using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// A throw-away CA with a server certificate (for 127.0.0.1, ::1 and localhost), one for another name only, and a
/// client certificate, written as PEM files the way an operator would hand them to the proxy.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly TempDirectory directory = new();

    public TestCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=OrleansProxy Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        AuthorityPath = directory.Write("ca.pem", ca.ExportCertificatePem());
        (CertificatePath, PrivateKeyPath) = Issue(ca, "server", "CN=localhost", serverAuth: true, Loopback);
        (OtherNameCertificatePath, OtherNamePrivateKeyPath) = Issue(ca, "other-name", "CN=sip.other.example", serverAuth: true, names => names.AddDnsName("sip.other.example"));
        (ClientCertificatePath, ClientPrivateKeyPath) = Issue(ca, "client", "CN=test-client", serverAuth: false, Loopback);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=Someone Else", otherKey, HashAlgorithmName.SHA256).CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        UntrustedAuthorityPath = directory.Write("other-ca.pem", other.ExportCertificatePem());
    }

    public string AuthorityPath { get; }

    /// <summary>A CA that signed none of these certificates.</summary>
    public string UntrustedAuthorityPath { get; }

    public string CertificatePath { get; }

    public string PrivateKeyPath { get; }

    /// <summary>Signed by the same CA, for sip.other.example alone: not for localhost nor any address.</summary>
    public string OtherNameCertificatePath { get; }

    public string OtherNamePrivateKeyPath { get; }

    public string ClientCertificatePath { get; }

    public string ClientPrivateKeyPath { get; }

    public string Write(string fileName, string content) => directory.Write(fileName, content);

    /// <summary>The server certificate with its key, usable by SslStream on Linux (PKCS#12 round trip).</summary>
    public X509Certificate2 LoadServerCertificate() => LoadWithKey(CertificatePath, PrivateKeyPath);

    public X509Certificate2 LoadOtherNameCertificate() => LoadWithKey(OtherNameCertificatePath, OtherNamePrivateKeyPath);

    public X509Certificate2 LoadClientCertificate() => LoadWithKey(ClientCertificatePath, ClientPrivateKeyPath);

    public X509Certificate2Collection LoadAuthorities()
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(AuthorityPath);
        return authorities;
    }

    private static X509Certificate2 LoadWithKey(string certificate, string key)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => directory.Dispose();

    private static void Loopback(SubjectAlternativeNameBuilder names)
    {
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
    }

    private (string Certificate, string Key) Issue(X509Certificate2 ca, string name, string subject, bool serverAuth, Action<SubjectAlternativeNameBuilder> addNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        addNames(names);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(ca, now.AddHours(-1), now.AddDays(7), serial);
        return (directory.Write($"{name}.pem", issued.ExportCertificatePem()), directory.Write($"{name}.key", key.ExportPkcs8PrivateKeyPem()));
    }
}
