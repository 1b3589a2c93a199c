using System.Globalization;
using System.Net;
using OrleansProxy.Routing.Location;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Reads the <c>Proxy:Routing:Dns</c> section into <see cref="DnsLocatorSettings"/>, naming every bad key at once
/// (one fault per key), like the rest of the configuration. Keys not set keep the settings' defaults.
/// </summary>
internal static class DnsLocatorOptions
{
    public const string SectionName = "Dns";
    public const string Servers = "Servers";
    public const string TimeoutMs = "TimeoutMs";
    public const string GreylistSeconds = "GreylistSeconds";

    private const int MaxTimeoutMs = 60_000;
    private const int MaxGreylistSeconds = 3_600;

    private static readonly string[] KnownKeys = [Servers, TimeoutMs, GreylistSeconds];

    /// <param name="section">The <c>Proxy:Routing:Dns</c> section (it may not exist).</param>
    public static DnsLocatorSettings Read(IConfiguration section, List<ConfigurationFault> faults)
    {
        var settings = new DnsLocatorSettings();
        var path = section is IConfigurationSection named ? named.Path : string.Empty;
        if (section is IConfigurationSection { Value.Length: > 0 })
        {
            faults.Add(new(path, $"must be a section with the keys {string.Join(", ", KnownKeys)}"));
            return settings;
        }

        foreach (var child in section.GetChildren())
        {
            if (!KnownKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                faults.Add(new(child.Path, $"unknown key (known keys here: {string.Join(", ", KnownKeys)})"));
            }
        }

        var servers = ReadServers(section.GetSection(Servers), faults);
        var timeoutMs = ReadWholeNumber(section.GetSection(TimeoutMs), 1, MaxTimeoutMs, faults);
        var greylistSeconds = ReadWholeNumber(section.GetSection(GreylistSeconds), 0, MaxGreylistSeconds, faults);
        return settings with
        {
            Servers = servers,
            Timeout = timeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : settings.Timeout,
            GreylistPeriod = greylistSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : settings.GreylistPeriod,
        };
    }

    private static List<IPEndPoint> ReadServers(IConfigurationSection list, List<ConfigurationFault> faults)
    {
        var servers = new List<IPEndPoint>();
        if (!string.IsNullOrEmpty(list.Value))
        {
            faults.Add(new(list.Path, $"must be a list: set {list.Path}:0, {list.Path}:1, ..."));
            return servers;
        }

        foreach (var entry in list.GetChildren())
        {
            if (entry.GetChildren().Any() || string.IsNullOrWhiteSpace(entry.Value))
            {
                faults.Add(new(entry.Path, "must be a resolver's address, ip[:port]"));
            }
            else if (!HostPort.TryParse(entry.Value, DnsLocatorSettings.DefaultDnsPort, out var server, out var reason))
            {
                faults.Add(new(entry.Path, $"'{entry.Value}' is not ip[:port]: {reason}"));
            }
            else if (server.Address is null)
            {
                faults.Add(new(entry.Path, $"'{entry.Value}' is a host name; a resolver must be given by IP address"));
            }
            else
            {
                servers.Add(new IPEndPoint(server.Address, server.Port));
            }
        }

        return servers;
    }

    private static int? ReadWholeNumber(IConfigurationSection value, int min, int max, List<ConfigurationFault> faults)
    {
        if (value.GetChildren().Any())
        {
            faults.Add(new(value.Path, "must be a single value, not a section"));
            return null;
        }

        if (string.IsNullOrEmpty(value.Value))
        {
            return null;
        }

        if (int.TryParse(value.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        faults.Add(new(value.Path, $"'{value.Value}' is not a whole number from {min} to {max}"));
        return null;
    }
}
