
namespace OrleansProxy.Silo.Configuration;

/// <summary>One entry of "Proxy:Routing:StaticRoutes": requests for <see cref="Domain"/> go to <see cref="Target"/>, not to DNS.</summary>
internal sealed class StaticRouteOptions
{
    public string? Domain { get; set; }

    /// <summary>[udp|tcp|tls://]host[:port], e.g. udp://10.0.0.5:5060.</summary>
    public string? Target { get; set; }
}
