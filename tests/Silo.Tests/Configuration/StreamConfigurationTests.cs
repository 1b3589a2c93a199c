using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Configuration;

/// <summary>"Proxy:Connections" and "Proxy:Tls": limits with defaults, PEM files loaded at start-up, one line per fault.</summary>
public sealed class StreamConfigurationTests : IDisposable
{
    private readonly TestCertificateFiles certificates = new();

    public void Dispose() => certificates.Dispose();

    [Fact]
    public void NothingConfigured_GivesTheDefaults()
    {
        var streams = TestConfiguration.With().Settings!.Streams;

        Assert.Equal(TimeSpan.FromMinutes(2), streams.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), streams.ConnectTimeout);
        Assert.Null(streams.Certificate);
        Assert.False(streams.SkipServerCertificateValidation);
    }

    [Fact]
    public void LimitsAndPemFiles_AreRead()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Listen:1", "tls://127.0.0.1:5061"),
            ("Proxy:Connections:IdleTimeoutMs", "5000"),
            ("Proxy:Connections:MaxConnections", "10"),
            ("Proxy:Connections:MaxPerPeer", "2"),
            ("Proxy:Tls:Certificate", certificates.CertificatePath),
            ("Proxy:Tls:PrivateKey", certificates.PrivateKeyPath),
            ("Proxy:Tls:RequireClientCertificate", "true"),
            ("Proxy:Tls:ClientAuthorities", certificates.AuthorityPath),
            ("Proxy:Tls:ServerAuthorities", certificates.AuthorityPath));

        Assert.Empty(configuration.Lines());
        var streams = configuration.Settings!.Streams;
        Assert.Equal((TimeSpan.FromSeconds(5), 10, 2), (streams.IdleTimeout, streams.MaxConnections, streams.MaxConnectionsPerPeer));
        Assert.True(streams.Certificate!.HasPrivateKey);
        Assert.Equal("CN=localhost", streams.Certificate.Subject);
        Assert.True(streams.RequireClientCertificate);
        Assert.Single(streams.ClientAuthorities!);
        Assert.Single(streams.ServerAuthorities!);
    }

    [Fact]
    public void MissingCertificateFile_NamesTheKey()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Tls:Certificate", "/nonexistent/server.pem"),
            ("Proxy:Tls:PrivateKey", certificates.PrivateKeyPath));

        var line = Assert.Single(configuration.Lines());
        Assert.StartsWith("Proxy:Tls:Certificate: cannot read '/nonexistent/server.pem'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyThatDoesNotMatchTheCertificate_NamesTheCertificateKey()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Tls:Certificate", certificates.CertificatePath),
            ("Proxy:Tls:PrivateKey", certificates.ClientPrivateKeyPath));

        Assert.StartsWith("Proxy:Tls:Certificate: ", Assert.Single(configuration.Lines()), StringComparison.Ordinal);
    }

    [Fact]
    public void GarbageInsteadOfPem_NamesTheKey()
    {
        var garbage = certificates.Write("garbage.pem", "not a certificate");

        var configuration = TestConfiguration.With(("Proxy:Tls:ServerAuthorities", garbage));

        Assert.StartsWith("Proxy:Tls:ServerAuthorities: ", Assert.Single(configuration.Lines()), StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateWithoutKey_NamesTheMissingKey()
    {
        var configuration = TestConfiguration.With(("Proxy:Tls:Certificate", certificates.CertificatePath));

        Assert.Equal(["Proxy:Tls:PrivateKey: is required with the other (certificate and private key, both PEM files)"], configuration.Lines());
    }

    [Fact]
    public void ClientCertificatesRequiredWithoutAuthorities_IsAFault()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Tls:Certificate", certificates.CertificatePath),
            ("Proxy:Tls:PrivateKey", certificates.PrivateKeyPath),
            ("Proxy:Tls:RequireClientCertificate", "true"));

        Assert.Equal(["Proxy:Tls:ClientAuthorities: a CA bundle (PEM) is required when RequireClientCertificate is true"], configuration.Lines());
    }

    [Fact]
    public void BadLimitsAndUnknownKeys_OneLineEach()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Connections:IdleTimeoutMs", "soon"),
            ("Proxy:Connections:MaxConnections", "0"),
            ("Proxy:Connections:MaxPerConnection", "3"),
            ("Proxy:Tls:SkipServerCertificateValidation", "perhaps"));

        Assert.Equal(
            [
                "Proxy:Connections:IdleTimeoutMs",
                "Proxy:Connections:MaxConnections",
                "Proxy:Connections:MaxPerConnection",
                "Proxy:Tls:SkipServerCertificateValidation",
            ],
            configuration.Faults.Select(fault => fault.Key).Order(StringComparer.Ordinal));
    }
}
