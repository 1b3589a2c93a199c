
namespace OrleansProxy.Silo.Configuration;

/// <summary>One entry of "Proxy:Routing:StaticRoutes": requests for <see cref="Domain"/> go to <see cref="Target"/>, not to DNS.</summary>
internal sealed class StaticRouteOptions : ISectionOptions
{
    public string? Domain { get; set; }

    /// <summary>[udp|tcp|tls://]host[:port], e.g. udp://10.0.0.5:5060.</summary>
    public string? Target { get; set; }

    /// <summary>What an entry of "Proxy:Routing:StaticRoutes" given as one value should have been.</summary>
    public static string Shape(string entry) => $"a static route: set {entry}:{nameof(Domain)} and {entry}:{nameof(Target)}";

    public void ReadFrom(SectionReader section)
    {
        Domain = section.Text(nameof(Domain));
        Target = section.Text(nameof(Target));
    }
}
