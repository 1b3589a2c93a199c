namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Tls": PEM files of this proxy's certificate and of the authorities it trusts; <see cref="TlsOptionsValidator"/> loads them.</summary>
internal sealed class TlsOptions : ISectionOptions
{
    public string? Certificate { get; set; }

    public string? PrivateKey { get; set; }

    public bool RequireClientCertificate { get; set; }

    /// <summary>The CA bundle a user agent's certificate must chain to when <see cref="RequireClientCertificate"/> is true.</summary>
    public string? ClientAuthorities { get; set; }

    /// <summary>The CA bundle a server's certificate must chain to; none keeps the system's trust store.</summary>
    public string? ServerAuthorities { get; set; }

    public bool SkipServerCertificateValidation { get; set; }

    public void ReadFrom(SectionReader section)
    {
        Certificate = section.Text(nameof(Certificate));
        PrivateKey = section.Text(nameof(PrivateKey));
        RequireClientCertificate = section.Bool(nameof(RequireClientCertificate), RequireClientCertificate);
        ClientAuthorities = section.Text(nameof(ClientAuthorities));
        ServerAuthorities = section.Text(nameof(ServerAuthorities));
        SkipServerCertificateValidation = section.Bool(nameof(SkipServerCertificateValidation), SkipServerCertificateValidation);
    }
}
