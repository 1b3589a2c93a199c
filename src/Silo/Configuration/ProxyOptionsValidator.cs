using System.Collections.Immutable;
using System.Net.Sockets;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Routing.Pairs;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Checks the keys of the "Proxy" section itself and composes the validators of its sections into
/// <see cref="ProxySettings"/>. Each fault names its full key; all faults are collected, none stops the others.
/// </summary>
internal static class ProxyOptionsValidator
{
    public const int MinMessageBytes = 1024;

    /// <returns>The settings, or null when <paramref name="faults"/> holds any fault (including earlier ones).</returns>
    public static ProxySettings? Validate(ProxyOptions options, ConfigurationFaults faults)
    {
        var proxy = new SectionFaults(faults, ProxyOptions.SectionName);
        var listenKey = proxy.Child(nameof(ProxyOptions.Listen));
        var listen = ValidateListen(options.Listen, listenKey);
        var streams = ValidateStreams(options, proxy, listenKey);
        var aliases = ValidateAliases(options.Aliases, proxy.Child(nameof(ProxyOptions.Aliases)));
        var probe = ProbeOptionsValidator.Validate(options.Probe, proxy.Child(nameof(ProxyOptions.Probe)));
        var pairsKey = proxy.Child(nameof(ProxyOptions.Pairs));
        var pairs = PairOptionsValidator.Validate(options.Pairs, pairsKey, probe, listen, listenKey.Path, out var placements);
        var site = ValidateSite(options.Site, proxy.Child(nameof(ProxyOptions.Site)), pairsKey, placements);
        var defaultPair = ValidateDefaultPair(options.DefaultPair, proxy.Child(nameof(ProxyOptions.DefaultPair)), pairs, placements, site);
        var routing = RoutingOptionsValidator.Validate(options.Routing, proxy.Child(nameof(ProxyOptions.Routing)), listen, listenKey.Path, pairs, placements, site, defaultPair);
        proxy.InRange(options.MaxMessageBytes, nameof(ProxyOptions.MaxMessageBytes), MinMessageBytes, SipDefaults.MaxMessageBytes);
        var adminKey = proxy.Child(nameof(ProxyOptions.Admin));
        var (adminUrl, logFormat) = options.Admin.Validate(adminKey);
        options.Cluster.Validate(proxy.Child(nameof(ProxyOptions.Cluster)), adminUrl, adminKey.Key(nameof(AdminOptions.Url)));
        var transactions = ValidateTransactions(options, proxy);
        var drainTime = options.Shutdown.Validate(proxy.Child(nameof(ProxyOptions.Shutdown)));
        options.Udp.Validate(proxy.Child(nameof(ProxyOptions.Udp)));
        var product = ValidateServerHeader(options.ServerHeader, proxy.Child(nameof(ProxyOptions.ServerHeader)));
        var overload = options.Overload.Validate(proxy.Child(nameof(ProxyOptions.Overload)));
        var capture = options.Capture.Hep.Validate(proxy.Child(nameof(ProxyOptions.Capture)).Child(nameof(CaptureOptions.Hep)));

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
            DrainTime = drainTime,
            UdpMaxRequestBytes = options.Udp.MaxRequestBytes,
            Product = product,
            WarmUp = options.Startup.WarmUp,
            Overload = overload,
            Streams = streams,
            Capture = capture,
            Dns = options.Routing.Dns,
        };
    }

    private static StreamSettings ValidateStreams(ProxyOptions options, SectionFaults proxy, SectionFaults listenKey)
    {
        var connections = options.Connections;
        connections.Validate(proxy.Child(nameof(ProxyOptions.Connections)));
        var tls = TlsOptionsValidator.Validate(options.Tls, proxy.Child(nameof(ProxyOptions.Tls)), options.Listen, listenKey);
        return new StreamSettings(
            TimeSpan.FromMilliseconds(connections.IdleTimeoutMs),
            TimeSpan.FromMilliseconds(connections.ConnectTimeoutMs),
            connections.MaxConnections,
            connections.MaxPerPeer,
            tls.Certificate,
            options.Tls.RequireClientCertificate,
            tls.ClientAuthorities,
            tls.ServerAuthorities,
            options.Tls.SkipServerCertificateValidation);
    }

    private static ProductName ValidateServerHeader(string? value, SectionFaults key)
    {
        if (value is null)
        {
            return ProductName.Default;
        }

        if (ProductName.FaultOf(value) is { } fault)
        {
            key.Add($"'{Printable(value)}' {fault}");
            return ProductName.Default;
        }

        return ProductName.Create(value);
    }

    // The value goes into a log line, so the control characters that made it a fault are shown, not written.
    private static string Printable(string value) =>
        value.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);

    private static TransactionSettings? ValidateTransactions(ProxyOptions options, SectionFaults proxy)
    {
        ProxyMode? mode = options.Mode.ToUpperInvariant() switch
        {
            "STATEFUL" => ProxyMode.Stateful,
            "STATELESS" => ProxyMode.Stateless,
            _ => null,
        };
        if (mode is null)
        {
            proxy.Add(nameof(ProxyOptions.Mode), $"'{options.Mode}' is not a mode (stateful or stateless)");
        }

        var transactions = options.Transactions;
        var transactionsKey = proxy.Child(nameof(ProxyOptions.Transactions));
        var timers = transactions.Validate(transactionsKey, out var t1Usable);
        var hold = options.Failover.Validate(
            proxy.Child(nameof(ProxyOptions.Failover)),
            t1Usable ? transactions.T1Ms : null,
            transactionsKey.Key(nameof(TransactionOptions.T1Ms)));
        if (mode is null)
        {
            return null;
        }

        return new TransactionSettings(mode.Value, TimeSpan.FromMilliseconds(options.Failover.NoResponseMs), transactions.MaxCount, timers)
        {
            MaxLingerBytes = transactions.MaxLingerBytes,
            Hold = hold,
        };
    }

    private static ImmutableArray<ListenEndpoint> ValidateListen(IList<string> entries, SectionFaults list)
    {
        if (entries.Count == 0 && !list.HasAny)
        {
            list.Add("at least one listen address is required, e.g. udp://10.0.0.10:5060");
        }

        return DistinctEntries.Validate(entries, list, TryParseListen, ListenEndpoint.SameSocket);
    }

    // A listener on every address has none of its own for Via and Record-Route: peers would be told to send to 0.0.0.0.
    private static bool TryParseListen(string text, SectionFaults key, out ListenEndpoint endpoint)
    {
        endpoint = null!;
        if (!ListenEndpoint.TryParse(text, out var parsed, out var fault))
        {
            key.Add(fault);
            return false;
        }

        if (parsed.IsWildcard && parsed.Advertise is null)
        {
            var example = parsed.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? "[fd00::10]" : "10.0.0.10";
            key.Add($"'{text.Trim()}' listens on every address; add ;{ListenEndpoint.AdvertiseParameter}=ADDRESS so Via and Record-Route name a reachable address, e.g. {text.Trim()};{ListenEndpoint.AdvertiseParameter}={example}");
            return false;
        }

        endpoint = parsed;
        return true;
    }

    private static ImmutableArray<string> ValidateAliases(IList<string> entries, SectionFaults list)
    {
        var aliases = ImmutableArray.CreateBuilder<string>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            if (!HostPort.TryParseHost(entries[i].Trim(), out var host, out _, out var reason))
            {
                list.Entry(i).Add($"'{entries[i]}' is not a host name or IP address ({reason})");
            }
            else if (!aliases.Contains(host))
            {
                aliases.Add(host);
            }
        }

        return aliases.ToImmutable();
    }

    private static string? ValidateSite(string? site, SectionFaults key, SectionFaults pairsKey, ImmutableArray<PairPlacement> placements)
    {
        if (PairOptionsValidator.ValidateSiteName(site, key) is not { } valid)
        {
            return null;
        }

        if (placements.Any(p => string.Equals(p.Site, valid, StringComparison.OrdinalIgnoreCase)))
        {
            return valid;
        }

        var known = placements.Select(p => p.Site).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var none = $"none is set in {pairsKey.Path}:N:{nameof(PairOptions.Site)}";
        key.Add($"'{valid}' is not the site of any pair (sites: {(known.Count == 0 ? none : string.Join(", ", known))})");
        return null;
    }

    private static string? ValidateDefaultPair(
        string? defaultPair,
        SectionFaults key,
        ImmutableArray<HaPairSettings> pairs,
        ImmutableArray<PairPlacement> placements,
        string? site)
    {
        if (defaultPair is null)
        {
            return site is null
                ? (pairs.IsEmpty ? null : pairs[0].Name)
                : placements.FirstOrDefault(p => string.Equals(p.Site, site, StringComparison.OrdinalIgnoreCase))?.Pair;
        }

        return RoutingOptionsValidator.ValidatePairName(defaultPair, key, pairs);
    }
}
