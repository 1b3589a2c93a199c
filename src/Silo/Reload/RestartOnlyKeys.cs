using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Reload;

/// <summary>
/// The keys read only at start-up (sockets bound, the silo and Kestrel started, the proxy core built), and which of
/// them a new configuration changes. A reload keeps their running values and names them, so that the operator
/// knows a restart is needed for those and only those.
/// </summary>
internal static class RestartOnlyKeys
{
    // Compared as written, key for key: their parsed forms hold certificates and timers that do not compare.
    private static readonly string[] RawSections =
    [
        "Proxy:Tls",
        "Proxy:Connections",
        "Proxy:Transactions",
        "Proxy:Failover",
        "Proxy:Shutdown",
        "Proxy:Startup",
        "Proxy:Routing:Dns",
        "Proxy:Capture",
        "Proxy:Udp",
        "Serilog",
    ];

    public static List<string> Changed(ProxyConfiguration running, ProxyConfiguration next)
    {
        var before = running.Settings!;
        var after = next.Settings!;
        var changed = new List<string>();
        Check(!before.Listen.SequenceEqual(after.Listen), "Proxy:Listen");
        Check(before.AdminUrl != after.AdminUrl, "Proxy:Admin:Url");
        Check(before.LogFormat != after.LogFormat, "Proxy:Admin:LogFormat");
        Check(before.SiloPort != after.SiloPort, "Proxy:Cluster:SiloPort");
        Check(before.Transactions.Mode != after.Transactions.Mode, "Proxy:Mode");
        Check(!before.Aliases.SequenceEqual(after.Aliases, StringComparer.OrdinalIgnoreCase), "Proxy:Aliases");
        Check(before.RecordRoute != after.RecordRoute, "Proxy:RecordRoute");
        Check(before.Path != after.Path, "Proxy:Path");
        Check(before.MaxMessageBytes != after.MaxMessageBytes, "Proxy:MaxMessageBytes");
        Check(!string.Equals(before.Product.Value, after.Product.Value, StringComparison.Ordinal), "Proxy:ServerHeader");
        Check(!string.Equals(before.Routing.NextHopHeader, after.Routing.NextHopHeader, StringComparison.OrdinalIgnoreCase), "Proxy:Routing:NextHopHeader");
        foreach (var section in RawSections)
        {
            Check(!SameValues(running.Configuration.GetSection(section), next.Configuration.GetSection(section)), section);
        }

        return changed;

        void Check(bool differs, string key)
        {
            if (differs)
            {
                changed.Add(key);
            }
        }
    }

    private static bool SameValues(IConfigurationSection before, IConfigurationSection after)
    {
        var old = Values(before);
        var current = Values(after);
        return old.Count == current.Count && old.All(entry => current.TryGetValue(entry.Key, out var value) && value == entry.Value);
    }

    private static Dictionary<string, string> Values(IConfigurationSection section)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in section.AsEnumerable())
        {
            if (value is not null)
            {
                values[key] = value;
            }
        }

        return values;
    }
}
