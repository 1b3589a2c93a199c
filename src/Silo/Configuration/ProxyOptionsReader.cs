using System.Globalization;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Binds the "Proxy" section by hand. The configuration binder stops at the first value it
/// cannot convert and throws, while an operator needs every bad key named at once. Unknown
/// keys are faults too, so that a misspelt key never silently leaves a default in place.
/// </summary>
internal static class ProxyOptionsReader
{
    public static ProxyOptions Read(IConfiguration configuration, List<ConfigurationFault> faults)
    {
        var options = new ProxyOptions();
        var proxy = configuration.GetSection(ProxyOptions.SectionName);
        RejectUnknownKeys(
            proxy,
            faults,
            nameof(ProxyOptions.Listen),
            nameof(ProxyOptions.Aliases),
            nameof(ProxyOptions.RecordRoute),
            nameof(ProxyOptions.Path),
            nameof(ProxyOptions.Pairs),
            nameof(ProxyOptions.DefaultPair),
            nameof(ProxyOptions.Site),
            nameof(ProxyOptions.Routing),
            nameof(ProxyOptions.MaxMessageBytes),
            nameof(ProxyOptions.Mode),
            nameof(ProxyOptions.ServerHeader),
            nameof(ProxyOptions.Failover),
            nameof(ProxyOptions.Transactions),
            nameof(ProxyOptions.Probe),
            nameof(ProxyOptions.Admin),
            nameof(ProxyOptions.Cluster),
            nameof(ProxyOptions.Shutdown),
            nameof(ProxyOptions.Startup),
            nameof(ProxyOptions.Udp),
            nameof(ProxyOptions.Overload),
            StreamSettingsReader.ConnectionsSection,
            StreamSettingsReader.TlsSection,
            CaptureSettingsReader.SectionName);

        ReadTexts(proxy.GetSection(nameof(ProxyOptions.Listen)), options.Listen, faults);
        ReadTexts(proxy.GetSection(nameof(ProxyOptions.Aliases)), options.Aliases, faults);
        options.RecordRoute = ReadBool(proxy, nameof(ProxyOptions.RecordRoute), options.RecordRoute, faults);
        options.Path = ReadBool(proxy, nameof(ProxyOptions.Path), options.Path, faults);
        ReadPairs(proxy.GetSection(nameof(ProxyOptions.Pairs)), options.Pairs, faults);
        options.DefaultPair = ReadText(proxy, nameof(ProxyOptions.DefaultPair), faults);
        options.Site = ReadText(proxy, nameof(ProxyOptions.Site), faults);
        ReadRouting(proxy, options.Routing, faults);
        options.MaxMessageBytes = ReadInt(proxy, nameof(ProxyOptions.MaxMessageBytes), options.MaxMessageBytes, faults);

        options.Mode = ReadText(proxy, nameof(ProxyOptions.Mode), faults) ?? options.Mode;
        options.ServerHeader = ReadTextOrEmpty(proxy, nameof(ProxyOptions.ServerHeader), faults);
        var failover = ReadSection(proxy, nameof(ProxyOptions.Failover), faults, nameof(FailoverOptions.NoResponseMs), nameof(FailoverOptions.HoldMs), nameof(FailoverOptions.HoldMaxRequests));
        options.Failover.NoResponseMs = ReadInt(failover, nameof(FailoverOptions.NoResponseMs), options.Failover.NoResponseMs, faults);
        options.Failover.HoldMs = ReadInt(failover, nameof(FailoverOptions.HoldMs), options.Failover.HoldMs, faults);
        options.Failover.HoldMaxRequests = ReadInt(failover, nameof(FailoverOptions.HoldMaxRequests), options.Failover.HoldMaxRequests, faults);
        ReadTransactions(proxy, options.Transactions, faults);

        var probe = ReadSection(
            proxy,
            nameof(ProxyOptions.Probe),
            faults,
            nameof(ProbeOptions.IntervalMs),
            nameof(ProbeOptions.TimeoutMs),
            nameof(ProbeOptions.FailuresToDown),
            nameof(ProbeOptions.FastIntervalMs),
            nameof(ProbeOptions.ServingCodes));
        options.Probe.IntervalMs = ReadInt(probe, nameof(ProbeOptions.IntervalMs), options.Probe.IntervalMs, faults);
        options.Probe.TimeoutMs = ReadInt(probe, nameof(ProbeOptions.TimeoutMs), options.Probe.TimeoutMs, faults);
        options.Probe.FailuresToDown = ReadInt(probe, nameof(ProbeOptions.FailuresToDown), options.Probe.FailuresToDown, faults);
        options.Probe.FastIntervalMs = ReadInt(probe, nameof(ProbeOptions.FastIntervalMs), options.Probe.FastIntervalMs, faults);
        var servingCodes = probe.GetSection(nameof(ProbeOptions.ServingCodes));
        if (servingCodes.Exists())
        {
            options.Probe.ServingCodes = [];
            ReadTexts(servingCodes, options.Probe.ServingCodes, faults);
        }

        var admin = ReadSection(proxy, nameof(ProxyOptions.Admin), faults, nameof(AdminOptions.Url), nameof(AdminOptions.LogFormat));
        options.Admin.Url = ReadText(admin, nameof(AdminOptions.Url), faults) ?? options.Admin.Url;
        options.Admin.LogFormat = ReadText(admin, nameof(AdminOptions.LogFormat), faults) ?? options.Admin.LogFormat;

        var shutdown = ReadSection(proxy, nameof(ProxyOptions.Shutdown), faults, nameof(ShutdownOptions.DrainMs));
        options.Shutdown.DrainMs = ReadInt(shutdown, nameof(ShutdownOptions.DrainMs), options.Shutdown.DrainMs, faults);

        var startup = ReadSection(proxy, nameof(ProxyOptions.Startup), faults, nameof(StartupOptions.WarmUp));
        options.Startup.WarmUp = ReadBool(startup, nameof(StartupOptions.WarmUp), options.Startup.WarmUp, faults);

        var udp = ReadSection(proxy, nameof(ProxyOptions.Udp), faults, nameof(UdpOptions.MaxRequestBytes));
        options.Udp.MaxRequestBytes = ReadInt(udp, nameof(UdpOptions.MaxRequestBytes), options.Udp.MaxRequestBytes, faults);

        ReadOverload(proxy, options.Overload, faults);

        var cluster = ReadSection(proxy, nameof(ProxyOptions.Cluster), faults, nameof(LocalSiloOptions.SiloPort));
        options.Cluster.SiloPort = ReadInt(cluster, nameof(LocalSiloOptions.SiloPort), options.Cluster.SiloPort, faults);
        return options;
    }

    private static void ReadTransactions(IConfigurationSection proxy, TransactionOptions transactions, List<ConfigurationFault> faults)
    {
        var section = ReadSection(
            proxy,
            nameof(ProxyOptions.Transactions),
            faults,
            nameof(TransactionOptions.MaxCount),
            nameof(TransactionOptions.MaxLingerBytes),
            nameof(TransactionOptions.T1Ms),
            nameof(TransactionOptions.T2Ms),
            nameof(TransactionOptions.T4Ms),
            nameof(TransactionOptions.TimerCMs));
        transactions.MaxCount = ReadInt(section, nameof(TransactionOptions.MaxCount), transactions.MaxCount, faults);
        transactions.MaxLingerBytes = ReadInt(section, nameof(TransactionOptions.MaxLingerBytes), transactions.MaxLingerBytes, faults);
        transactions.T1Ms = ReadInt(section, nameof(TransactionOptions.T1Ms), transactions.T1Ms, faults);
        transactions.T2Ms = ReadInt(section, nameof(TransactionOptions.T2Ms), transactions.T2Ms, faults);
        transactions.T4Ms = ReadInt(section, nameof(TransactionOptions.T4Ms), transactions.T4Ms, faults);
        transactions.TimerCMs = ReadInt(section, nameof(TransactionOptions.TimerCMs), transactions.TimerCMs, faults);
    }

    private static void ReadOverload(IConfigurationSection proxy, OverloadOptions overload, List<ConfigurationFault> faults)
    {
        var section = ReadSection(
            proxy,
            nameof(ProxyOptions.Overload),
            faults,
            nameof(OverloadOptions.InvitesPerSecond),
            nameof(OverloadOptions.RetryAfterSeconds),
            nameof(OverloadOptions.PerSourceMessagesPerSecond),
            nameof(OverloadOptions.SourceBlockSeconds),
            nameof(OverloadOptions.TrackedSources),
            nameof(OverloadOptions.ExemptNetworks));
        overload.InvitesPerSecond = ReadInt(section, nameof(OverloadOptions.InvitesPerSecond), overload.InvitesPerSecond, faults);
        overload.RetryAfterSeconds = ReadInt(section, nameof(OverloadOptions.RetryAfterSeconds), overload.RetryAfterSeconds, faults);
        overload.PerSourceMessagesPerSecond = ReadInt(section, nameof(OverloadOptions.PerSourceMessagesPerSecond), overload.PerSourceMessagesPerSecond, faults);
        overload.SourceBlockSeconds = ReadInt(section, nameof(OverloadOptions.SourceBlockSeconds), overload.SourceBlockSeconds, faults);
        overload.TrackedSources = ReadInt(section, nameof(OverloadOptions.TrackedSources), overload.TrackedSources, faults);
        ReadTexts(section.GetSection(nameof(OverloadOptions.ExemptNetworks)), overload.ExemptNetworks, faults);
    }

    private static void ReadPairs(IConfigurationSection list, IList<PairOptions> pairs, List<ConfigurationFault> faults)
    {
        foreach (var entry in ListEntries(list, faults))
        {
            if (!string.IsNullOrEmpty(entry.Value))
            {
                faults.Add(new(entry.Path, $"'{entry.Value}' is not a pair: set {entry.Path}:Name, {entry.Path}:Primary and {entry.Path}:Backup"));
                continue;
            }

            RejectUnknownKeys(entry, faults, nameof(PairOptions.Name), nameof(PairOptions.Primary), nameof(PairOptions.Backup), nameof(PairOptions.Site), nameof(PairOptions.Egress));
            pairs.Add(new PairOptions
            {
                Name = ReadText(entry, nameof(PairOptions.Name), faults),
                Primary = ReadText(entry, nameof(PairOptions.Primary), faults),
                Backup = ReadText(entry, nameof(PairOptions.Backup), faults),
                Site = ReadText(entry, nameof(PairOptions.Site), faults),
                Egress = ReadText(entry, nameof(PairOptions.Egress), faults),
            });
        }
    }

    private static void ReadRouting(IConfigurationSection proxy, RoutingOptions routing, List<ConfigurationFault> faults)
    {
        var section = ReadSection(
            proxy,
            nameof(ProxyOptions.Routing),
            faults,
            nameof(RoutingOptions.Rules),
            nameof(RoutingOptions.UserAgentNetworks),
            nameof(RoutingOptions.TrustedNetworks),
            nameof(RoutingOptions.StaticRoutes),
            nameof(RoutingOptions.NextHopHeader),
            DnsLocatorOptions.SectionName);
        foreach (var entry in ListEntries(section.GetSection(nameof(RoutingOptions.Rules)), faults))
        {
            if (!string.IsNullOrEmpty(entry.Value))
            {
                faults.Add(new(entry.Path, $"'{entry.Value}' is not a rule: set one condition ({entry.Path}:Listener, :Domain, :UserPrefix or :SourceNetwork) and {entry.Path}:Pair"));
                continue;
            }

            RejectUnknownKeys(
                entry,
                faults,
                nameof(RoutingRuleOptions.Listener),
                nameof(RoutingRuleOptions.Domain),
                nameof(RoutingRuleOptions.UserPrefix),
                nameof(RoutingRuleOptions.SourceNetwork),
                nameof(RoutingRuleOptions.Pair));
            routing.Rules.Add(new RoutingRuleOptions
            {
                Listener = ReadText(entry, nameof(RoutingRuleOptions.Listener), faults),
                Domain = ReadText(entry, nameof(RoutingRuleOptions.Domain), faults),
                UserPrefix = ReadText(entry, nameof(RoutingRuleOptions.UserPrefix), faults),
                SourceNetwork = ReadText(entry, nameof(RoutingRuleOptions.SourceNetwork), faults),
                Pair = ReadText(entry, nameof(RoutingRuleOptions.Pair), faults),
            });
        }

        ReadTexts(section.GetSection(nameof(RoutingOptions.UserAgentNetworks)), routing.UserAgentNetworks, faults);
        ReadTexts(section.GetSection(nameof(RoutingOptions.TrustedNetworks)), routing.TrustedNetworks, faults);
        foreach (var entry in ListEntries(section.GetSection(nameof(RoutingOptions.StaticRoutes)), faults))
        {
            if (!string.IsNullOrEmpty(entry.Value))
            {
                faults.Add(new(entry.Path, $"'{entry.Value}' is not a static route: set {entry.Path}:Domain and {entry.Path}:Target"));
                continue;
            }

            RejectUnknownKeys(entry, faults, nameof(StaticRouteOptions.Domain), nameof(StaticRouteOptions.Target));
            routing.StaticRoutes.Add(new StaticRouteOptions
            {
                Domain = ReadText(entry, nameof(StaticRouteOptions.Domain), faults),
                Target = ReadText(entry, nameof(StaticRouteOptions.Target), faults),
            });
        }

        routing.NextHopHeader = ReadText(section, nameof(RoutingOptions.NextHopHeader), faults);
    }

    private static void ReadTexts(IConfigurationSection list, IList<string> values, List<ConfigurationFault> faults)
    {
        foreach (var entry in ListEntries(list, faults))
        {
            if (entry.GetChildren().Any())
            {
                faults.Add(new(entry.Path, "must be a single value, not a section"));
            }
            else if (!string.IsNullOrEmpty(entry.Value))
            {
                values.Add(entry.Value);
            }
        }
    }

    // Entries must be numbered 0..n-1: the validator names faults by position, and a gap
    // usually means an environment variable or override aimed at an entry that does not exist.
    private static List<IConfigurationSection> ListEntries(IConfigurationSection list, List<ConfigurationFault> faults)
    {
        var entries = list.GetChildren().ToList();
        if (entries.Count == 0)
        {
            if (!string.IsNullOrEmpty(list.Value))
            {
                faults.Add(new(list.Path, $"must be a list: set {list.Path}:0, {list.Path}:1, ..."));
            }

            return entries;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Key != i.ToString(CultureInfo.InvariantCulture))
            {
                faults.Add(new(entries[i].Path, $"list entries must be numbered 0, 1, 2, ... without gaps (expected {list.Path}:{i})"));
                return [];
            }
        }

        return entries;
    }

    private static IConfigurationSection ReadSection(
        IConfigurationSection parent,
        string key,
        List<ConfigurationFault> faults,
        params string[] knownKeys)
    {
        var section = parent.GetSection(key);
        if (!string.IsNullOrEmpty(section.Value))
        {
            faults.Add(new(section.Path, $"must be a section with the keys {string.Join(", ", knownKeys)}"));
        }

        RejectUnknownKeys(section, faults, knownKeys);
        return section;
    }

    private static void RejectUnknownKeys(IConfigurationSection section, List<ConfigurationFault> faults, params string[] knownKeys)
    {
        foreach (var child in section.GetChildren())
        {
            if (!knownKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                faults.Add(new(child.Path, $"unknown key (known keys here: {string.Join(", ", knownKeys)})"));
            }
        }
    }

    private static string? ReadText(IConfigurationSection section, string key, List<ConfigurationFault> faults)
    {
        var value = section.GetSection(key);
        if (value.GetChildren().Any())
        {
            faults.Add(new(value.Path, "must be a single value, not a section"));
            return null;
        }

        return string.IsNullOrEmpty(value.Value) ? null : value.Value;
    }

    /// <summary>Like <see cref="ReadText"/>, but an empty value is kept: for keys where "" means "none".</summary>
    private static string? ReadTextOrEmpty(IConfigurationSection section, string key, List<ConfigurationFault> faults)
    {
        var value = section.GetSection(key);
        if (value.GetChildren().Any())
        {
            faults.Add(new(value.Path, "must be a single value, not a section"));
            return null;
        }

        return value.Value;
    }

    private static int ReadInt(IConfigurationSection section, string key, int defaultValue, List<ConfigurationFault> faults)
    {
        var text = ReadText(section, key, faults);
        if (text is null)
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        faults.Add(new(section.GetSection(key).Path, $"'{text}' is not a whole number"));
        return defaultValue;
    }

    private static bool ReadBool(IConfigurationSection section, string key, bool defaultValue, List<ConfigurationFault> faults)
    {
        var text = ReadText(section, key, faults);
        if (text is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        faults.Add(new(section.GetSection(key).Path, $"'{text}' is not true or false"));
        return defaultValue;
    }
}
