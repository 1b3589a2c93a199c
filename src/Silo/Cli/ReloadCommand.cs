using System.CommandLine;
using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Silo.Cli;

/// <summary>
/// "orleans-proxy reload": makes a running node read its configuration again. Exit 0 when it is applied (keys that
/// need a restart are named), 1 when it is refused, with one "config error:" line per fault as start-up prints them.
/// </summary>
internal static class ReloadCommand
{
    public static Command Create() =>
        AdminAddress.CreateVerb("reload", "Make a running node read its configuration again, as SIGHUP does.", UsageFault.NoOperands, RunAsync);

    private static async Task<int> RunAsync(ParseResult parseResult, Uri address, CancellationToken cancellationToken)
    {
        var (output, error) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        using var client = AdminClient.Create(address);
        Admin.ReloadDto reload;
        try
        {
            reload = await client.ReloadAsync(cancellationToken);
        }
        catch (AdminClientException e)
        {
            await error.WriteLineAsync($"reload failed: {e.Message}");
            return ExitCodes.Failed;
        }

        if (reload.Outcome != "applied")
        {
            foreach (var line in reload.Faults)
            {
                await error.WriteLineAsync(ProxyRunner.ConfigErrorPrefix + line);
            }

            await error.WriteLineAsync($"reload refused: the running configuration stays ({reload.Faults.Count} fault(s))");
            return ExitCodes.Failed;
        }

        await output.WriteLineAsync(
            $"configuration reloaded in {reload.DurationMs:0.0} ms: pairs added {List(reload.Added)}; removed {List(reload.Removed)}; "
            + $"members changed {List(reload.MembersChanged)}; probing changed {List(reload.ProbeChanged)}");
        if (reload.RestartRequired.Count > 0)
        {
            await output.WriteLineAsync($"restart required for: {string.Join(", ", reload.RestartRequired)} (their running values stay until then)");
        }

        return ExitCodes.Success;
    }

    private static string List(IReadOnlyList<string> pairs) => pairs.Count == 0 ? "none" : string.Join(", ", pairs);
}
