using System.CommandLine;
using OrleansProxy.Silo.Admin;

namespace OrleansProxy.Silo.Cli;

/// <summary>
/// "orleans-proxy routes [RURI SOURCE [LISTENER]]": a running node's routing rules, and how it would route one request.
/// </summary>
internal static class RoutesCommand
{
    public static Command Create() => AdminAddress.CreateVerb(
        "routes",
        "Show a running node's routing rules; with a Request-URI and a source, how it would route that INVITE now.",
        parseResult => OptionValues.Operands(parseResult).Length is 1 or > 3
            ? "takes no operands, or a Request-URI and a source: orleans-proxy routes [RURI SOURCE [LISTENER]]"
            : null,
        RunAsync);

    private static async Task<int> RunAsync(ParseResult parseResult, Uri address, CancellationToken cancellationToken)
    {
        var (output, error) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        var operands = OptionValues.Operands(parseResult);
        using var client = AdminClient.Create(address);
        RoutesDto routes;
        try
        {
            routes = await client.GetRoutesAsync(
                operands.Length > 0 ? operands[0] : null,
                operands.Length > 1 ? operands[1] : null,
                operands.Length > 2 ? operands[2] : null,
                cancellationToken);
        }
        catch (AdminClientException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.Failed;
        }

        await output.WriteAsync(Render(routes));
        return ExitCodes.Success;
    }

    internal static string Render(RoutesDto routes)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"site: {routes.Site ?? "none"}, default pair: {routes.DefaultPair ?? "none"}");
        text.AppendLine(routes.Rules.Count == 0 ? "rules: none" : "rules, in the order they apply:");
        foreach (var rule in routes.Rules)
        {
            text.AppendLine($"  {rule.Kind} {rule.Condition} -> {rule.Pair}  ({rule.Key})");
        }

        text.AppendLine($"user agents from: {(routes.UserAgentNetworks.Count == 0 ? "any source" : string.Join(", ", routes.UserAgentNetworks))}");
        text.AppendLine($"trusted networks: {(routes.TrustedNetworks.Count == 0 ? "none" : string.Join(", ", routes.TrustedNetworks))}");
        text.AppendLine(routes.StaticRoutes.Count == 0 ? "static routes: none" : "static routes:");
        foreach (var route in routes.StaticRoutes)
        {
            text.AppendLine($"  {route.Domain} -> {route.Target}  ({route.Key})");
        }

        text.AppendLine($"next-hop header: {routes.NextHopHeader ?? "none"}");
        if (routes.Sample is { } sample)
        {
            var outcome = sample.Destination is null
                ? $"rejected {sample.StatusCode} {sample.Reason}"
                : $"forwarded to {sample.Destination} over {sample.Transport}{(sample.Pair is null ? string.Empty : $", pair {sample.Pair}")}: {sample.Reason}";
            text.AppendLine($"{sample.RequestUri} from {sample.Source} ({sample.SentBy}) on {sample.Listener}: {outcome}");
        }

        return text.ToString();
    }
}
