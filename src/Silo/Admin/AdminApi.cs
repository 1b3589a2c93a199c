using OrleansProxy.Grains;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Silo.Hosting;
using Prometheus;

namespace OrleansProxy.Silo.Admin;

/// <summary>
/// The admin HTTP API: liveness and readiness, Prometheus metrics, pair status, operator
/// switchover and the status page. Pairs are addressed by their configured name, exactly as
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

    private static async Task<IResult> GetPairsAsync(IHaPairCatalog catalog, IGrainFactory grains)
    {
        var statuses = await Task.WhenAll(catalog.Pairs.Select(p => grains.GetGrain<IHaPairGrain>(p.Name).GetStatus()));
        return Results.Json(Array.ConvertAll(statuses, PairStatusDto.Create), AdminJsonContext.Wire.PairStatusDtoArray);
    }

    private static async Task<IResult> GetPairAsync(string name, IHaPairCatalog catalog, IGrainFactory grains)
    {
        if (catalog.Find(name) is null)
        {
            return UnknownPair(name);
        }

        var status = await grains.GetGrain<IHaPairGrain>(name).GetStatus();
        return Results.Json(PairStatusDto.Create(status), AdminJsonContext.Wire.PairStatusDto);
    }

    private static async Task<IResult> SwitchoverAsync(
        string name,
        HttpContext context,
        IHaPairCatalog catalog,
        IGrainFactory grains,
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
            return Results.Json(PairStatusDto.Create(status), AdminJsonContext.Wire.PairStatusDto);
        }
        catch (InvalidOperationException e)
        {
            logger.SwitchoverRefused(name, requestedBy, e.Message);
            return Error(StatusCodes.Status409Conflict, e.Message);
        }
    }

    private static IResult UnknownPair(string name) => Error(StatusCodes.Status404NotFound, $"unknown pair '{name}'");

    private static IResult Error(int statusCode, string message) =>
        Results.Json(new AdminErrorDto(message), AdminJsonContext.Wire.AdminErrorDto, statusCode: statusCode);
}
