using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Overload;
using OrleansProxy.Sip.Transactions;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Checks every key of <see cref="ProxyOptions"/> and parses it into <see cref="ProxySettings"/>.
/// Each fault names its full key; all faults are collected, none stops the others.
/// </summary>
internal static class ProxyOptionsValidator
{
    public const int MinIntervalMs = 10;
    public const int MaxIntervalMs = 60_000;
    public const int MaxFailuresToDown = 100;
    public const int MinMessageBytes = 1024;
    public const int MaxMessageBytes = 65535;
    public const int MaxPairNameLength = 64;
    public const int MaxTransactions = 10_000_000;

    /// <summary>Below this, lingering transactions would be evicted within moments at any real load.</summary>
    public const int MinLingerBytes = 1 << 20;
    public const int MaxTimerMs = 3_600_000;

    /// <summary>The Timer C floor of RFC 3261 §16.6 step 11: greater than 3 minutes.</summary>
    public const int MinTimerCMs = 180_001;
    public const int MaxDrainMs = 300_000;

    /// <summary>Far above what one node can handle: a cap is a rate it can reach.</summary>
    public const int MaxOverloadRate = 1_000_000;

    /// <summary>Each followed source costs a few dozen bytes.</summary>
    public const int MaxTrackedSources = 1_048_576;

    /// <summary>A request held longer than a UDP transaction's Timer F (32 s) would be given up by its sender anyway.</summary>
    public const int MaxHoldMs = 32_000;

    /// <summary>Each held request keeps its message buffer and a slot of its listener.</summary>
    public const int MaxHeldRequests = 100_000;

    /// <summary>How often the reminder re-activates a pair's grain and re-arms its probe timer.</summary>
    public static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromMinutes(1);

    /// <returns>The settings, or null when <paramref name="faults"/> holds any fault (including earlier ones).</returns>
    public static ProxySettings? Validate(ProxyOptions options, List<ConfigurationFault> faults)
    {
        var listen = ValidateListen(options.Listen, faults);
        var aliases = ValidateAliases(options.Aliases, faults);
        var probe = ValidateProbe(options.Probe, faults);
        var pairs = ValidatePairs(options.Pairs, probe, listen, faults, out var placements);
        var site = ValidateSite(options.Site, placements, faults);
        var defaultPair = ValidateDefaultPair(options.DefaultPair, pairs, placements, site, faults);
        var routing = RoutingValidator.Validate(options.Routing, listen, pairs, placements, site, defaultPair, faults);
        CheckRange(options.MaxMessageBytes, "Proxy:MaxMessageBytes", MinMessageBytes, MaxMessageBytes, faults);
        var adminUrl = ValidateAdminUrl(options.Admin.Url, faults);
        ValidateSiloPort(options.Cluster.SiloPort, adminUrl, faults);
        var transactions = ValidateTransactions(options, faults);
        var logFormat = ValidateLogFormat(options.Admin.LogFormat, faults);
        CheckRange(options.Shutdown.DrainMs, "Proxy:Shutdown:DrainMs", 0, MaxDrainMs, faults);
        CheckRange(options.Udp.MaxRequestBytes, "Proxy:Udp:MaxRequestBytes", 0, MaxMessageBytes, faults);
        var product = ValidateServerHeader(options.ServerHeader, faults);
        var overload = ValidateOverload(options.Overload, faults);

        if (faults.Count > 0 || adminUrl is null || defaultPair is null || transactions is null)
        {
            return null;
        }

        return new ProxySettings(
            listen,
            aliases,
            options.RecordRoute,
            pairs,
            defaultPair,
            options.MaxMessageBytes,
            probe,
            adminUrl,
            options.Cluster.SiloPort,
            transactions,
            routing)
        {
            LogFormat = logFormat,
            Path = options.Path,
            DrainTime = TimeSpan.FromMilliseconds(options.Shutdown.DrainMs),
            UdpMaxRequestBytes = options.Udp.MaxRequestBytes,
            Product = product,
            WarmUp = options.Startup.WarmUp,
            Overload = overload,
        };
    }

    private static OverloadLimits ValidateOverload(OverloadOptions options, List<ConfigurationFault> faults)
    {
        const string Key = "Proxy:Overload";
        CheckRange(options.InvitesPerSecond, $"{Key}:InvitesPerSecond", 0, MaxOverloadRate, faults);
        CheckRange(options.RetryAfterSeconds, $"{Key}:RetryAfterSeconds", 1, 3600, faults);
        CheckRange(options.PerSourceMessagesPerSecond, $"{Key}:PerSourceMessagesPerSecond", 0, MaxOverloadRate, faults);
        CheckRange(options.SourceBlockSeconds, $"{Key}:SourceBlockSeconds", 1, 3600, faults);
        CheckRange(options.TrackedSources, $"{Key}:TrackedSources", 1, MaxTrackedSources, faults);
        return new OverloadLimits
        {
            InvitesPerSecond = options.InvitesPerSecond,
            RetryAfterSeconds = options.RetryAfterSeconds,
            PerSourceMessagesPerSecond = options.PerSourceMessagesPerSecond,
            SourceBlockTime = TimeSpan.FromSeconds(options.SourceBlockSeconds),
            TrackedSources = options.TrackedSources,
            ExemptNetworks = RoutingValidator.ValidateNetworks(options.ExemptNetworks, $"{Key}:ExemptNetworks", faults),
        };
    }

    private static ProductName ValidateServerHeader(string? value, List<ConfigurationFault> faults)
    {
        if (value is null)
        {
            return ProductName.Default;
        }

        if (ProductName.FaultOf(value) is { } fault)
        {
            faults.Add(new("Proxy:ServerHeader", $"'{Printable(value)}' {fault}"));
            return ProductName.Default;
        }

        return ProductName.Create(value);
    }

    // The value goes into a log line, so the control characters that made it a fault are shown, not written.
    private static string Printable(string value) =>
        value.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);

    private static TransactionSettings? ValidateTransactions(ProxyOptions options, List<ConfigurationFault> faults)
    {
        const string ModeKey = "Proxy:Mode";
        const string T1 = "Proxy:Transactions:T1Ms";
        const string T2 = "Proxy:Transactions:T2Ms";
        ProxyMode? mode = options.Mode.ToUpperInvariant() switch
        {
            "STATEFUL" => ProxyMode.Stateful,
            "STATELESS" => ProxyMode.Stateless,
            _ => null,
        };
        if (mode is null)
        {
            faults.Add(new(ModeKey, $"'{options.Mode}' is not a mode (stateful or stateless)"));
        }

        var failoverValid = CheckRange(options.Failover.NoResponseMs, "Proxy:Failover:NoResponseMs", 1, MaxTimerMs, faults);
        CheckRange(options.Failover.HoldMs, "Proxy:Failover:HoldMs", 0, MaxHoldMs, faults);
        CheckRange(options.Failover.HoldMaxRequests, "Proxy:Failover:HoldMaxRequests", 1, MaxHeldRequests, faults);
        var transactions = options.Transactions;
        CheckRange(transactions.MaxCount, "Proxy:Transactions:MaxCount", 1, MaxTransactions, faults);
        CheckRange(transactions.MaxLingerBytes, "Proxy:Transactions:MaxLingerBytes", MinLingerBytes, int.MaxValue, faults);
        var t1Valid = CheckRange(transactions.T1Ms, T1, 1, MaxTimerMs, faults);
        var t2Valid = CheckRange(transactions.T2Ms, T2, 1, MaxTimerMs, faults);
        CheckRange(transactions.T4Ms, "Proxy:Transactions:T4Ms", 1, MaxTimerMs, faults);
        CheckRange(transactions.TimerCMs, "Proxy:Transactions:TimerCMs", MinTimerCMs, MaxTimerMs, faults);

        // A cross-key check against a key that is already at fault would only repeat that fault.
        if (t1Valid && t2Valid && transactions.T2Ms < transactions.T1Ms)
        {
            faults.Add(new(T2, $"must not be less than {T1} ({Number(transactions.T2Ms)} < {Number(transactions.T1Ms)})"));
        }

        if (failoverValid && t1Valid && options.Failover.NoResponseMs >= 64 * transactions.T1Ms)
        {
            faults.Add(new("Proxy:Failover:NoResponseMs", $"must be less than 64 x {T1} ({Number(64 * transactions.T1Ms)}), when the transaction times out anyway"));
        }

        if (mode is null)
        {
            return null;
        }

        var timers = new TransactionTimers
        {
            T1 = TimeSpan.FromMilliseconds(transactions.T1Ms),
            T2 = TimeSpan.FromMilliseconds(transactions.T2Ms),
            T4 = TimeSpan.FromMilliseconds(transactions.T4Ms),
            TimerC = TimeSpan.FromMilliseconds(transactions.TimerCMs),
        };
        return new TransactionSettings(mode.Value, TimeSpan.FromMilliseconds(options.Failover.NoResponseMs), transactions.MaxCount, timers)
        {
            MaxLingerBytes = transactions.MaxLingerBytes,
            Hold = new HoldSettings(TimeSpan.FromMilliseconds(options.Failover.HoldMs), options.Failover.HoldMaxRequests),
        };
    }

    private static LogFormat ValidateLogFormat(string text, List<ConfigurationFault> faults)
    {
        if (string.Equals(text, "text", StringComparison.OrdinalIgnoreCase))
        {
            return LogFormat.Text;
        }

        if (string.Equals(text, "json", StringComparison.OrdinalIgnoreCase))
        {
            return LogFormat.Json;
        }

        faults.Add(new("Proxy:Admin:LogFormat", $"'{text}' is not text or json"));
        return LogFormat.Text;
    }

    private static ImmutableArray<ListenEndpoint> ValidateListen(IList<string> entries, List<ConfigurationFault> faults)
    {
        const string Key = "Proxy:Listen";
        if (entries.Count == 0 && !HasFaultWithin(faults, Key))
        {
            faults.Add(new(Key, "at least one listen address is required, e.g. udp://10.0.0.10:5060"));
        }

        return DistinctEntries.Validate(entries, Key, TryParseListen, faults, ListenEndpoint.SameSocket);
    }

    // A listener on every address has none of its own for Via and Record-Route: peers would be told to send to 0.0.0.0.
    private static bool TryParseListen(string text, string key, List<ConfigurationFault> faults, out ListenEndpoint endpoint)
    {
        endpoint = null!;
        if (!ListenEndpoint.TryParse(text, out var parsed, out var fault))
        {
            faults.Add(new(key, fault));
            return false;
        }

        if (parsed.IsWildcard && parsed.Advertise is null)
        {
            var example = parsed.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[fd00::10]" : "10.0.0.10";
            faults.Add(new(key, $"'{text.Trim()}' listens on every address; add ;{ListenEndpoint.AdvertiseParameter}=ADDRESS so Via and Record-Route name a reachable address, e.g. {text.Trim()};{ListenEndpoint.AdvertiseParameter}={example}"));
            return false;
        }

        endpoint = parsed;
        return true;
    }

    private static ImmutableArray<string> ValidateAliases(IList<string> entries, List<ConfigurationFault> faults)
    {
        var aliases = ImmutableArray.CreateBuilder<string>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            if (!HostPort.TryParseHost(entries[i].Trim(), out var host, out _, out var reason))
            {
                faults.Add(new($"Proxy:Aliases:{Index(i)}", $"'{entries[i]}' is not a host name or IP address ({reason})"));
            }
            else if (!aliases.Contains(host))
            {
                aliases.Add(host);
            }
        }

        return aliases.ToImmutable();
    }

    private static ProbeSettings ValidateProbe(ProbeOptions probe, List<ConfigurationFault> faults)
    {
        const string Interval = "Proxy:Probe:IntervalMs";
        const string Timeout = "Proxy:Probe:TimeoutMs";
        const string FastInterval = "Proxy:Probe:FastIntervalMs";
        var intervalValid = CheckRange(probe.IntervalMs, Interval, MinIntervalMs, MaxIntervalMs, faults);
        var timeoutValid = CheckRange(probe.TimeoutMs, Timeout, 1, MaxIntervalMs, faults);
        var fastIntervalValid = CheckRange(probe.FastIntervalMs, FastInterval, MinIntervalMs, MaxIntervalMs, faults);
        CheckRange(probe.FailuresToDown, "Proxy:Probe:FailuresToDown", 1, MaxFailuresToDown, faults);

        // A cross-key check against a key that is already at fault would only repeat that fault.
        if (intervalValid && timeoutValid && probe.TimeoutMs >= probe.IntervalMs)
        {
            faults.Add(new(Timeout, $"must be less than {Interval} ({Number(probe.TimeoutMs)} >= {Number(probe.IntervalMs)})"));
        }

        if (intervalValid && fastIntervalValid && probe.FastIntervalMs > probe.IntervalMs)
        {
            faults.Add(new(FastInterval, $"must not be more than {Interval} ({Number(probe.FastIntervalMs)} > {Number(probe.IntervalMs)})"));
        }

        return new ProbeSettings(
            TimeSpan.FromMilliseconds(probe.IntervalMs),
            TimeSpan.FromMilliseconds(probe.TimeoutMs),
            probe.FailuresToDown,
            TimeSpan.FromMilliseconds(probe.FastIntervalMs),
            KeepAlivePeriod,
            ValidateServingCodes(probe.ServingCodes, faults));
    }

    private static ServingCodes? ValidateServingCodes(IList<string>? entries, List<ConfigurationFault> faults)
    {
        const string Key = "Proxy:Probe:ServingCodes";
        if (entries is null)
        {
            return null;
        }

        var classes = ImmutableArray.CreateBuilder<int>();
        var codes = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            var text = entries[i].Trim();
            if (text.Length == 3 && text.EndsWith("xx", StringComparison.OrdinalIgnoreCase) && text[0] is >= '2' and <= '6')
            {
                classes.Add(text[0] - '0');
            }
            else if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 200 and <= 699)
            {
                codes.Add(code);
            }
            else
            {
                faults.Add(new($"{Key}:{Index(i)}", $"'{entries[i]}' is not a final status code (200-699) or class (2xx-6xx)"));
            }
        }

        if (entries.Count == 0)
        {
            faults.Add(new(Key, "at least one code or class is required (default: 2xx)"));
        }

        return new ServingCodes(classes.ToImmutable(), codes.ToImmutable());
    }

    private static ImmutableArray<HaPairSettings> ValidatePairs(
        IList<PairOptions> entries,
        ProbeSettings probe,
        ImmutableArray<ListenEndpoint> listen,
        List<ConfigurationFault> faults,
        out ImmutableArray<PairPlacement> placements)
    {
        const string Key = "Proxy:Pairs";
        if (entries.Count == 0 && !HasFaultWithin(faults, Key))
        {
            faults.Add(new(Key, "at least one pair is required"));
        }

        var pairs = ImmutableArray.CreateBuilder<HaPairSettings>(entries.Count);
        var placed = ImmutableArray.CreateBuilder<PairPlacement>(entries.Count);
        var nameKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var memberKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var prefix = $"{Key}:{Index(i)}";
            var name = ValidatePairName(entries[i].Name, $"{prefix}:Name", nameKeys, faults);
            var primary = ValidateMember(entries[i].Primary, $"{prefix}:Primary", memberKeys, faults);
            var backup = ValidateMember(entries[i].Backup, $"{prefix}:Backup", memberKeys, faults);
            var site = ValidateSiteName(entries[i].Site, $"{prefix}:Site", faults);
            if (primary is { } first && backup is { } second && !SameTransportAndFamily(first, second, $"{prefix}:Backup", $"{prefix}:Primary", faults))
            {
                continue;
            }

            IPEndPoint? egress = null;
            if (primary is { } member)
            {
                CheckListenerFor(member, listen, $"{prefix}:Primary", faults);
                egress = ValidateEgress(entries[i].Egress, $"{prefix}:Egress", member, listen, faults);
            }

            if (name is not null && primary is not null && backup is not null)
            {
                pairs.Add(new HaPairSettings(name, primary.Value.Address.ToString(), backup.Value.Address.ToString(), probe));
                placed.Add(new PairPlacement(name, site, primary.Value.TransportOrUdp, egress));
            }
        }

        placements = placed.ToImmutable();
        return pairs.ToImmutable();
    }

    // Requests to a member leave from a listener of its transport and address family; without one every request would get 503.
    private static void CheckListenerFor(TransportAddress member, ImmutableArray<ListenEndpoint> listen, string key, List<ConfigurationFault> faults)
    {
        var transport = member.TransportOrUdp;
        var family = member.Address.Address?.AddressFamily;
        if (listen.IsEmpty || listen.Any(entry => entry.Transport == transport && (family is null || entry.EndPoint.AddressFamily == family)))
        {
            return;
        }

        faults.Add(new(key, $"'{member}' is reached over {Name(transport)}{Where(family)}, but Proxy:Listen has no such listener to send from"));
    }

    private static string Where(System.Net.Sockets.AddressFamily? family) => family switch
    {
        null => string.Empty,
        System.Net.Sockets.AddressFamily.InterNetworkV6 => " on IPv6",
        _ => " on IPv4",
    };

    // The listener a pair's requests leave from must be able to reach its members: their transport and address family.
    private static IPEndPoint? ValidateEgress(string? text, string key, TransportAddress member, ImmutableArray<ListenEndpoint> listen, List<ConfigurationFault> faults)
    {
        if (text is null)
        {
            return null;
        }

        if (!ListenEndpoint.TryParse(text.Trim(), out var named, out var fault))
        {
            faults.Add(new(key, fault));
            return null;
        }

        if (named.FindIn(listen) is not { } listener)
        {
            faults.Add(new(key, $"'{text}' is not one of Proxy:Listen ({string.Join(", ", listen)})"));
            return null;
        }

        var family = member.Address.Address?.AddressFamily;
        if (listener.Transport != member.TransportOrUdp || (family is not null && listener.EndPoint.AddressFamily != family))
        {
            faults.Add(new(key, $"'{text}' cannot reach '{member}': the pair is reached over {Name(member.TransportOrUdp)}{Where(family)}"));
            return null;
        }

        return listener.EndPoint;
    }

    // The proxy reaches whichever member is active the same way, so a switchover never changes transport or family.
    private static bool SameTransportAndFamily(TransportAddress primary, TransportAddress backup, string key, string primaryKey, List<ConfigurationFault> faults)
    {
        if (primary.TransportOrUdp != backup.TransportOrUdp)
        {
            faults.Add(new(key, $"'{backup}' uses {Name(backup.TransportOrUdp)} but {primaryKey} uses {Name(primary.TransportOrUdp)}: both members of a pair use one transport"));
            return false;
        }

        if (primary.Address.Address is { } first && backup.Address.Address is { } second && first.AddressFamily != second.AddressFamily)
        {
            faults.Add(new(key, $"'{backup}' is not of the address family of {primaryKey} ('{primary}'): both members of a pair use one family"));
            return false;
        }

        return true;
    }

    private static string Name(SipTransportKind transport) => transport.ToString().ToLowerInvariant();

    /// <summary>A site is a name like a pair's: letters, digits, '.', '-' or '_'; compared ignoring case.</summary>
    private static string? ValidateSiteName(string? site, string key, List<ConfigurationFault> faults)
    {
        if (site is null)
        {
            return null;
        }

        if (site.Length > MaxPairNameLength || !site.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            faults.Add(new(key, $"'{site}' must be 1-{Number(MaxPairNameLength)} letters, digits, '.', '-' or '_'"));
            return null;
        }

        return site;
    }

    private static string? ValidateSite(string? site, ImmutableArray<PairPlacement> placements, List<ConfigurationFault> faults)
    {
        const string Key = "Proxy:Site";
        if (ValidateSiteName(site, Key, faults) is not { } valid)
        {
            return null;
        }

        if (placements.Any(p => string.Equals(p.Site, valid, StringComparison.OrdinalIgnoreCase)))
        {
            return valid;
        }

        var known = placements.Select(p => p.Site).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        faults.Add(new(Key, $"'{valid}' is not the site of any pair (sites: {(known.Count == 0 ? "none is set in Proxy:Pairs:N:Site" : string.Join(", ", known))})"));
        return null;
    }

    private static string? ValidatePairName(
        string? name,
        string key,
        Dictionary<string, string> nameKeys,
        List<ConfigurationFault> faults)
    {
        if (name is null)
        {
            faults.Add(new(key, "is required"));
            return null;
        }

        if (name.Length > MaxPairNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            faults.Add(new(key, $"'{name}' must be 1-{Number(MaxPairNameLength)} letters, digits, '.', '-' or '_'"));
            return null;
        }

        if (!nameKeys.TryAdd(name, key))
        {
            faults.Add(new(key, $"'{name}' is already the name of {nameKeys[name]} (names ignore case)"));
            return null;
        }

        return name;
    }

    // A member may belong to one pair only: a request from that address must identify one pair.
    // The grain names a member by "host:port" without the transport, so two transports to one address are one member.
    private static TransportAddress? ValidateMember(
        string? text,
        string key,
        Dictionary<string, string> memberKeys,
        List<ConfigurationFault> faults)
    {
        if (text is null)
        {
            faults.Add(new(key, "is required (host:port)"));
            return null;
        }

        if (!TransportAddress.TryParse(text, out var member, out var reason))
        {
            faults.Add(new(key, $"'{text}' is not host:port ({reason})"));
            return null;
        }

        var normalised = member.Address.ToString();
        if (!memberKeys.TryAdd(normalised, key))
        {
            faults.Add(new(key, $"'{text}' is the same member as {memberKeys[normalised]} ({normalised})"));
            return null;
        }

        return member;
    }

    private static string? ValidateDefaultPair(
        string? defaultPair,
        ImmutableArray<HaPairSettings> pairs,
        ImmutableArray<PairPlacement> placements,
        string? site,
        List<ConfigurationFault> faults)
    {
        if (defaultPair is null)
        {
            return site is null
                ? (pairs.IsEmpty ? null : pairs[0].Name)
                : placements.FirstOrDefault(p => string.Equals(p.Site, site, StringComparison.OrdinalIgnoreCase))?.Pair;
        }

        if (pairs.Any(p => p.Name == defaultPair))
        {
            return defaultPair;
        }

        var known = pairs.IsEmpty ? "none is valid" : string.Join(", ", pairs.Select(p => p.Name));
        faults.Add(new("Proxy:DefaultPair", $"'{defaultPair}' is not a configured pair (configured: {known})"));
        return null;
    }

    private static Uri? ValidateAdminUrl(string url, List<ConfigurationFault> faults)
    {
        const string Key = "Proxy:Admin:Url";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            faults.Add(new(Key, $"'{url}' is not an http:// URL, e.g. http://127.0.0.1:8060"));
            return null;
        }

        // A host name other than localhost would make Kestrel bind every interface.
        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && !uri.IsLoopback)
        {
            faults.Add(new(Key, $"'{url}': the host must be an IP address or localhost"));
            return null;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            faults.Add(new(Key, $"'{url}' must not have a path, query or user name"));
            return null;
        }

        return uri;
    }

    private static void ValidateSiloPort(int siloPort, Uri? adminUrl, List<ConfigurationFault> faults)
    {
        const string Key = "Proxy:Cluster:SiloPort";
        if (CheckRange(siloPort, Key, IPEndPoint.MinPort + 1, IPEndPoint.MaxPort, faults) && adminUrl?.Port == siloPort)
        {
            faults.Add(new(Key, $"{Number(siloPort)} is also the port of Proxy:Admin:Url"));
        }
    }

    /// <returns>True when the key is usable for cross-key checks: not already at fault and in range.</returns>
    private static bool CheckRange(int value, string key, int min, int max, List<ConfigurationFault> faults)
    {
        if (HasFaultAt(faults, key))
        {
            return false;
        }

        if (value < min || value > max)
        {
            faults.Add(new(key, $"{Number(value)} is out of range ({Number(min)}-{Number(max)})"));
            return false;
        }

        return true;
    }

    private static bool HasFaultAt(List<ConfigurationFault> faults, string key) =>
        faults.Any(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase));

    // The reader refuses a malformed list as a whole; "empty" would only repeat that.
    private static bool HasFaultWithin(List<ConfigurationFault> faults, string key) =>
        faults.Any(f => f.Key.Equals(key, StringComparison.OrdinalIgnoreCase) ||
                        f.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));

    public static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
