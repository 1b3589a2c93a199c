using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Checks "Proxy:Tls", loading the PEM files at once so that a missing or unreadable certificate stops start-up with a
/// line naming its key instead of failing the first TLS handshake.
/// </summary>
internal static class TlsOptionsValidator
{
    public static (X509Certificate2? Certificate, X509Certificate2Collection? ClientAuthorities, X509Certificate2Collection? ServerAuthorities) Validate(
        TlsOptions tls,
        SectionFaults section,
        IList<string> listen,
        SectionFaults listenKey)
    {
        var certificate = ReadCertificate(tls, section);
        var clientAuthorities = ReadAuthorities(tls.ClientAuthorities, section.Child(nameof(TlsOptions.ClientAuthorities)));
        if (tls.RequireClientCertificate && clientAuthorities is null && !section.HasAny)
        {
            section.Add(nameof(TlsOptions.ClientAuthorities), $"a CA bundle (PEM) is required when {nameof(TlsOptions.RequireClientCertificate)} is true");
        }

        var serverAuthorities = ReadAuthorities(tls.ServerAuthorities, section.Child(nameof(TlsOptions.ServerAuthorities)));
        if (certificate is null && !section.HasAny)
        {
            CheckTlsListeners(section, listen, listenKey);
        }

        return (certificate, clientAuthorities, serverAuthorities);
    }

    private static void CheckTlsListeners(SectionFaults section, IList<string> listen, SectionFaults listenKey)
    {
        for (var i = 0; i < listen.Count; i++)
        {
            if (ListenEndpoint.TryParse(listen[i], out var endpoint, out _) && endpoint.Transport == SipTransportKind.Tls)
            {
                listenKey.Entry(i).Add($"'{listen[i]}' needs {section.Key(nameof(TlsOptions.Certificate))} and {section.Key(nameof(TlsOptions.PrivateKey))} (PEM files)");
            }
        }
    }

    private static X509Certificate2? ReadCertificate(TlsOptions tls, SectionFaults section)
    {
        var certificatePath = tls.Certificate;
        var keyPath = tls.PrivateKey;
        if (string.IsNullOrWhiteSpace(certificatePath) && string.IsNullOrWhiteSpace(keyPath))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(certificatePath) || string.IsNullOrWhiteSpace(keyPath))
        {
            var missing = string.IsNullOrWhiteSpace(certificatePath) ? nameof(TlsOptions.Certificate) : nameof(TlsOptions.PrivateKey);
            section.Add(missing, "is required with the other (certificate and private key, both PEM files)");
            return null;
        }

        var certificateKey = section.Child(nameof(TlsOptions.Certificate));
        if (!IsReadable(certificatePath, certificateKey) || !IsReadable(keyPath, section.Child(nameof(TlsOptions.PrivateKey))))
        {
            return null;
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

            // A key loaded from PEM is ephemeral; SslStream on Linux needs it exportable, so round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            certificateKey.Add($"'{certificatePath}' with key '{keyPath}' is not a PEM certificate and matching private key ({e.Message})");
            return null;
        }
    }

    private static X509Certificate2Collection? ReadAuthorities(string? path, SectionFaults key)
    {
        if (string.IsNullOrWhiteSpace(path) || !IsReadable(path, key))
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            key.Add($"'{path}' is not a PEM bundle of certificates ({e.Message})");
            return null;
        }

        if (authorities.Count == 0)
        {
            key.Add($"'{path}' holds no certificate");
            return null;
        }

        return authorities;
    }

    private static bool IsReadable(string path, SectionFaults key)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            key.Add($"cannot read '{path}': {e.Message}");
            return false;
        }
    }
}
