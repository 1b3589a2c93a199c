
namespace OrleansProxy.Silo.Configuration;

/// <summary>One entry of "Proxy:Routing:Rules": exactly one condition, and the pair it sends matching user agents to.</summary>
internal sealed class RoutingRuleOptions : ISectionOptions
{
    /// <summary>A "Proxy:Listen" entry, e.g. udp://10.0.0.1:5060.</summary>
    public string? Listener { get; set; }

    /// <summary>The Request-URI host, exact, case-insensitive.</summary>
    public string? Domain { get; set; }

    /// <summary>The Request-URI user starts with it; the longest matching prefix wins.</summary>
    public string? UserPrefix { get; set; }

    /// <summary>A CIDR; the most specific matching network wins.</summary>
    public string? SourceNetwork { get; set; }

    public string? Pair { get; set; }

    /// <summary>What an entry of "Proxy:Routing:Rules" given as one value should have been.</summary>
    public static string Shape(string entry) => $"a rule: set one condition ({entry}:{nameof(Listener)}, :{nameof(Domain)}, :{nameof(UserPrefix)} or :{nameof(SourceNetwork)}) and {entry}:{nameof(Pair)}";

    public void ReadFrom(SectionReader section)
    {
        Listener = section.Text(nameof(Listener));
        Domain = section.Text(nameof(Domain));
        UserPrefix = section.Text(nameof(UserPrefix));
        SourceNetwork = section.Text(nameof(SourceNetwork));
        Pair = section.Text(nameof(Pair));
    }
}
