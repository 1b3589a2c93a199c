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
    private const string Servers = "Servers";
    private const string TimeoutMs = "TimeoutMs";
    private const string GreylistSeconds = "GreylistSeconds";

    private const int MaxTimeoutMs = 60_000;
    private const int MaxGreylistSeconds = 3_600;

    public static DnsLocatorSettings Read(SectionReader section)
    {
        var defaults = new DnsLocatorSettings();
        return defaults with
        {
            Servers = ReadServers(section.Texts(Servers), section.Faults.Child(Servers)),
            Timeout = TimeSpan.FromMilliseconds(section.Int(TimeoutMs, (int)defaults.Timeout.TotalMilliseconds, 1, MaxTimeoutMs)),
            GreylistPeriod = TimeSpan.FromSeconds(section.Int(GreylistSeconds, (int)defaults.GreylistPeriod.TotalSeconds, 0, MaxGreylistSeconds)),
        };
    }

    private static List<IPEndPoint> ReadServers(List<string> entries, SectionFaults list)
    {
        var servers = new List<IPEndPoint>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (!HostPort.TryParse(entries[i], DnsLocatorSettings.DefaultDnsPort, out var server, out var reason))
            {
                list.Entry(i).Add($"'{entries[i]}' is not ip[:port]: {reason}");
            }
            else if (server.Address is null)
            {
                list.Entry(i).Add($"'{entries[i]}' is a host name; a resolver must be given by IP address");
            }
            else
            {
                servers.Add(new IPEndPoint(server.Address, server.Port));
            }
        }

        return servers;
    }
}
