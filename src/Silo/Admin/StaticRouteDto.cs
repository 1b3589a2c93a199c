using OrleansProxy.Routing.Policy;


namespace OrleansProxy.Silo.Admin;

/// <param name="Target">[transport://]host:port as configured, normalised.</param>
internal sealed record StaticRouteDto(string Key, string Domain, string Target)
{
    public static StaticRouteDto Create(StaticRoute route) => new(
        route.Key,
        route.Domain,
        route.Target.Transport is { } transport ? $"{transport.ToString().ToLowerInvariant()}://{route.Target}" : route.Target.ToString());
}
