using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Reads and checks "Proxy:Connections" and "Proxy:Tls", loading the PEM files at once so that a missing or
/// unreadable certificate stops start-up with a line naming its key instead of failing the first TLS handshake.
/// </summary>
internal static class StreamSettingsReader
{
    public const string ConnectionsSection = "Connections";
    public const string TlsSection = "Tls";

    private const string ConnectionsKey = "Proxy:" + ConnectionsSection;
    private const string TlsKey = "Proxy:" + TlsSection;

    private static readonly string[] ConnectionKeys = ["IdleTimeoutMs", "ConnectTimeoutMs", "MaxConnections", "MaxPerPeer"];

    private static readonly string[] TlsKeys =
        ["Certificate", "PrivateKey", "RequireClientCertificate", "ClientAuthorities", "ServerAuthorities", "SkipServerCertificateValidation"];

    /// <returns>The settings, or null when a fault was added.</returns>
    public static StreamSettings? Read(IConfigurationSection proxy, List<ConfigurationFault> faults)
    {
        var before = faults.Count;
        var defaults = StreamSettings.Default;
        var connections = proxy.GetSection(ConnectionsSection);
        SectionValues.RejectUnknown(connections, ConnectionKeys, faults);
        var idle = SectionValues.ReadInt(connections, "IdleTimeoutMs", (int)defaults.IdleTimeout.TotalMilliseconds, 1_000, 86_400_000, faults);
        var connect = SectionValues.ReadInt(connections, "ConnectTimeoutMs", (int)defaults.ConnectTimeout.TotalMilliseconds, 50, 60_000, faults);
        var max = SectionValues.ReadInt(connections, "MaxConnections", defaults.MaxConnections, 1, 1_000_000, faults);
        var perPeer = SectionValues.ReadInt(connections, "MaxPerPeer", defaults.MaxConnectionsPerPeer, 1, 1_000_000, faults);
        if (perPeer > max)
        {
            faults.Add(new($"{ConnectionsKey}:MaxPerPeer", $"{perPeer} is more than {ConnectionsKey}:MaxConnections ({max})"));
        }

        var tls = proxy.GetSection(TlsSection);
        SectionValues.RejectUnknown(tls, TlsKeys, faults);
        var certificate = ReadCertificate(tls, faults);
        var requireClient = SectionValues.ReadBool(tls, "RequireClientCertificate", faults);
        var clientAuthorities = ReadAuthorities(tls, "ClientAuthorities", faults);
        if (requireClient && clientAuthorities is null && faults.Count == before)
        {
            faults.Add(new($"{TlsKey}:ClientAuthorities", "a CA bundle (PEM) is required when RequireClientCertificate is true"));
        }

        var serverAuthorities = ReadAuthorities(tls, "ServerAuthorities", faults);
        var skipValidation = SectionValues.ReadBool(tls, "SkipServerCertificateValidation", faults);
        CheckTlsListeners(proxy, certificate, faults);
        if (faults.Count > before)
        {
            return null;
        }

        return new StreamSettings(
            TimeSpan.FromMilliseconds(idle),
            TimeSpan.FromMilliseconds(connect),
            max,
            perPeer,
            certificate,
            requireClient,
            clientAuthorities,
            serverAuthorities,
            skipValidation);
    }

    private static void CheckTlsListeners(IConfigurationSection proxy, X509Certificate2? certificate, List<ConfigurationFault> faults)
    {
        if (certificate is not null || HasFault(faults, TlsKey))
        {
            return;
        }

        foreach (var entry in proxy.GetSection("Listen").GetChildren())
        {
            if (entry.Value is { } text && ListenEndpoint.TryParse(text, out var listen, out _) && listen.Transport == SipTransportKind.Tls)
            {
                faults.Add(new($"Proxy:Listen:{entry.Key}", $"'{text}' needs {TlsKey}:Certificate and {TlsKey}:PrivateKey (PEM files)"));
            }
        }
    }

    private static X509Certificate2? ReadCertificate(IConfigurationSection tls, List<ConfigurationFault> faults)
    {
        var certificatePath = tls["Certificate"];
        var keyPath = tls["PrivateKey"];
        if (string.IsNullOrWhiteSpace(certificatePath) && string.IsNullOrWhiteSpace(keyPath))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(certificatePath) || string.IsNullOrWhiteSpace(keyPath))
        {
            var missing = string.IsNullOrWhiteSpace(certificatePath) ? "Certificate" : "PrivateKey";
            faults.Add(new($"{TlsKey}:{missing}", "is required with the other (certificate and private key, both PEM files)"));
            return null;
        }

        if (!IsReadable(certificatePath, $"{TlsKey}:Certificate", faults) || !IsReadable(keyPath, $"{TlsKey}:PrivateKey", faults))
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
            faults.Add(new($"{TlsKey}:Certificate", $"'{certificatePath}' with key '{keyPath}' is not a PEM certificate and matching private key ({e.Message})"));
            return null;
        }
    }

    private static X509Certificate2Collection? ReadAuthorities(IConfigurationSection tls, string name, List<ConfigurationFault> faults)
    {
        var path = tls[name];
        var key = $"{TlsKey}:{name}";
        if (string.IsNullOrWhiteSpace(path) || !IsReadable(path, key, faults))
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
            faults.Add(new(key, $"'{path}' is not a PEM bundle of certificates ({e.Message})"));
            return null;
        }

        if (authorities.Count == 0)
        {
            faults.Add(new(key, $"'{path}' holds no certificate"));
            return null;
        }

        return authorities;
    }

    private static bool IsReadable(string path, string key, List<ConfigurationFault> faults)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            faults.Add(new(key, $"cannot read '{path}': {e.Message}"));
            return false;
        }
    }

    private static bool HasFault(List<ConfigurationFault> faults, string keyPrefix) =>
        faults.Exists(fault => fault.Key.StartsWith(keyPrefix, StringComparison.OrdinalIgnoreCase));
}
