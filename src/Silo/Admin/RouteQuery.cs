using System.Diagnostics.CodeAnalysis;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Admin;

/// <summary>
/// An operator's /api/routes query against this node's configuration: the listener it names must be one of
/// Proxy:Listen (the first when it names none), and "is this us" uses the node's listeners and aliases.
/// </summary>
internal static class RouteQuery
{
    /// <param name="error">What is wrong with the query, naming the parameter, when false is returned.</param>
    public static bool TryCreate(
        string? requestUri,
        string? source,
        string? listener,
        ProxySettings settings,
        [NotNullWhen(true)] out RoutingRequest? request,
        out string error)
    {
        request = null;
        if (!TryFindListener(listener, settings, out var hop, out error))
        {
            return false;
        }

        var identity = new ProxyIdentity([.. settings.Listen.Select(l => l.ToLocalHop())], settings.Aliases);
        return SampleRequest.TryCreate(requestUri, source, hop, identity, out request, out error);
    }

    private static bool TryFindListener(string? text, ProxySettings settings, [NotNullWhen(true)] out LocalHop? hop, out string error)
    {
        var listen = settings.Listen[0];
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (!ListenEndpoint.TryParse(text.Trim(), out var named, out var fault))
            {
                hop = null;
                error = $"listener: {fault}";
                return false;
            }

            if (named.FindIn(settings.Listen) is not { } configured)
            {
                hop = null;
                error = $"listener '{text}' is not one of Proxy:Listen ({string.Join(", ", settings.Listen)})";
                return false;
            }

            listen = configured;
        }

        hop = listen.ToLocalHop();
        error = string.Empty;
        return true;
    }
}
