using System.Security.Cryptography.X509Certificates;

namespace OrleansProxy.TestSupport;

/// <summary>
/// <see cref="TestCertificates"/> written as PEM files in a directory of their own, the way an operator hands
/// certificates and keys to the proxy.
/// </summary>
public sealed class TestCertificateFiles : IDisposable
{
    private readonly TempDirectory directory = new();

    public TestCertificateFiles()
    {
        AuthorityPath = directory.Write("ca.pem", TestCertificates.Authority.ExportCertificatePem());
        UntrustedAuthorityPath = directory.Write("other-ca.pem", TestCertificates.UntrustedAuthority.ExportCertificatePem());
        (CertificatePath, PrivateKeyPath) = WritePair("server", TestCertificates.Server);
        (OtherNameCertificatePath, OtherNamePrivateKeyPath) = WritePair("other-name", TestCertificates.OtherNameServer);
        (ClientCertificatePath, ClientPrivateKeyPath) = WritePair("client", TestCertificates.Client);
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

    /// <summary>The server certificate with its key, read from the files, usable by SslStream on Linux (PKCS#12 round trip).</summary>
    public X509Certificate2 LoadServerCertificate() => LoadWithKey(CertificatePath, PrivateKeyPath);

    public X509Certificate2 LoadOtherNameCertificate() => LoadWithKey(OtherNameCertificatePath, OtherNamePrivateKeyPath);

    public X509Certificate2 LoadClientCertificate() => LoadWithKey(ClientCertificatePath, ClientPrivateKeyPath);

    public X509Certificate2Collection LoadAuthorities()
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(AuthorityPath);
        return authorities;
    }

    public void Dispose() => directory.Dispose();

    private static X509Certificate2 LoadWithKey(string certificate, string key)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private (string Certificate, string Key) WritePair(string name, X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException($"{name}: no private key");
        return (directory.Write($"{name}.pem", certificate.ExportCertificatePem()), directory.Write($"{name}.key", key.ExportPkcs8PrivateKeyPem()));
    }
}
