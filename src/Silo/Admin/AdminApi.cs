using OrleansProxy.Grains;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Silo.FrontEnd;
using OrleansProxy.Silo.Reload;
using Prometheus;

namespace OrleansProxy.Silo.Admin;

/// <summary>
/// The admin HTTP API: liveness and readiness, Prometheus metrics, pair status, operator
/// switchover, the routing configuration with a what-if for one request, and the status page. Pairs are addressed by their configured name, exactly as
/// written (the grain is keyed by it).
/// </summary>
internal static class AdminApi
{
    private const string LogCategory = "OrleansProxy.Silo.Admin";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", GetReadiness);
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>().Registry);
        endpoints.MapStatusPage();
        endpoints.MapGet("/api/pairs", GetPairsAsync);
        endpoints.MapGet("/api/pairs/{name}", GetPairAsync);
        endpoints.MapPost("/api/pairs/{name}/switchover", SwitchoverAsync);
        endpoints.MapGet("/api/routes", GetRoutesAsync);
        endpoints.MapPost("/api/reload", ReloadAsync);
        endpoints.MapGet("/api/reload", (ConfigurationReloader reloader) => Results.Json(ReloadDto.Create(reloader.Last), AdminJsonContext.Wire.ReloadDto));
        return endpoints;
    }

    private static IResult GetReadiness(NodeReadiness readiness)
    {
        var report = readiness.Check();
        return Results.Json(
            report,
            AdminJsonContext.Wire.ReadinessReport,
            statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> GetPairsAsync(IHaPairCatalog catalog, IGrainFactory grains, LiveRouting routing, ConfigurationReloader reloader)
    {
        var statuses = await Task.WhenAll(catalog.Pairs.Select(p => grains.GetGrain<IHaPairGrain>(p.Name).GetStatus()));
        var snapshot = routing.Current;
        var lastReload = reloader.Last;
        return Results.Json(
            Array.ConvertAll(statuses, s => PairStatusDto.Create(s, snapshot.SiteOf(s.Name)) with { LastReload = PairReloadDto.Create(lastReload, s.Name) }),
            AdminJsonContext.Wire.PairStatusDtoArray);
    }

    private static async Task<IResult> GetPairAsync(string name, IHaPairCatalog catalog, IGrainFactory grains, LiveRouting routing, ConfigurationReloader reloader)
    {
        if (catalog.Find(name) is null)
        {
            return UnknownPair(name);
        }

        var status = await grains.GetGrain<IHaPairGrain>(name).GetStatus();
        return Results.Json(
            PairStatusDto.Create(status, routing.Current.SiteOf(name)) with { LastReload = PairReloadDto.Create(reloader.Last, name) },
            AdminJsonContext.Wire.PairStatusDto);
    }

    // The sample goes through the same policy and resolver as live traffic, without reporting it to any grain.
    private static async Task<IResult> GetRoutesAsync(
        string? ruri,
        string? source,
        string? listener,
        ProxySettings settings,
        LiveRouting live,
        GrainTargetResolver resolver,
        CancellationToken cancellationToken)
    {
        var snapshot = live.Current;
        var policy = snapshot.Policy;
        RouteSampleDto? sample = null;
        if (ruri is not null || source is not null || listener is not null)
        {
            if (!RouteQuery.TryCreate(ruri, source, listener, settings, out var request, out var error))
            {
                return Error(StatusCodes.Status400BadRequest, error);
            }

            var choice = policy.Decide(request);
            var decision = await resolver.CarryOutAsync(snapshot, choice, waitForServingMember: false, cancellationToken);
            sample = new RouteSampleDto(
                ruri!.Trim(),
                request.Source.ToString(),
                request.Listener!.ToString(),
                policy.IsServer(request.Source) ? "server" : "userAgent",
                decision.Destination is null ? "reject" : "forward",
                decision.Destination is null ? decision.ReasonPhrase! : choice.Reason,
                choice is RouteChoice.ToPair toPair ? toPair.Pair : null,
                decision.Destination?.ToString(),
                decision.Destination is null ? null : decision.Transport.ToString().ToLowerInvariant(),
                decision.Destination is null ? decision.StatusCode : null);
        }

        var routing = snapshot.Routing;
        var routes = new RoutesDto(
            routing.Site,
            routing.DefaultPair,
            [.. routing.Rules.Select(RoutingRuleDto.Create)],
            [.. routing.UserAgentNetworks.Select(n => n.ToString())],
            [.. routing.TrustedNetworks.Select(n => n.ToString())],
            [.. routing.StaticRoutes.Select(StaticRouteDto.Create)],
            routing.NextHopHeader,
            sample);
        return Results.Json(routes, AdminJsonContext.Wire.RoutesDto);
    }

    private static async Task<IResult> SwitchoverAsync(
        string name,
        HttpContext context,
        IHaPairCatalog catalog,
        IGrainFactory grains,
        LiveRouting routing,
        ILoggerFactory loggerFactory)
    {
        if (catalog.Find(name) is null)
        {
            return UnknownPair(name);
        }

        var logger = loggerFactory.CreateLogger(LogCategory);
        var requestedBy = $"admin API ({context.Connection.RemoteIpAddress})";
        try
        {
            var status = await grains.GetGrain<IHaPairGrain>(name).Switchover(requestedBy);
            logger.OperatorSwitchover(name, requestedBy, status.Active.Address);
            return Results.Json(PairStatusDto.Create(status, routing.Current.SiteOf(name)), AdminJsonContext.Wire.PairStatusDto);
        }
        catch (InvalidOperationException e)
        {
            logger.SwitchoverRefused(name, requestedBy, e.Message);
            return Error(StatusCodes.Status409Conflict, e.Message);
        }
    }

    // 400 when the new configuration is refused: the body lists its faults, one line each, as start-up would.
    private static async Task<IResult> ReloadAsync(HttpContext context, ConfigurationReloader reloader, CancellationToken cancellationToken)
    {
        var result = await reloader.ReloadAsync($"admin API ({context.Connection.RemoteIpAddress})", cancellationToken);
        return Results.Json(
            ReloadDto.Create(result),
            AdminJsonContext.Wire.ReloadDto,
            statusCode: result.Applied ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static IResult UnknownPair(string name) => Error(StatusCodes.Status404NotFound, $"unknown pair '{name}'");

    private static IResult Error(int statusCode, string message) =>
        Results.Json(new AdminErrorDto(message), AdminJsonContext.Wire.AdminErrorDto, statusCode: statusCode);
}
