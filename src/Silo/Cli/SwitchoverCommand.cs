using System.CommandLine;

namespace OrleansProxy.Silo.Cli;

/// <summary>"orleans-proxy switchover PAIR": makes a running node's pair switch to its standby member.</summary>
internal static class SwitchoverCommand
{
    public static Command Create() => AdminAddress.CreateVerb(
        "switchover",
        "Make a running node's pair switch to its standby member.",
        parseResult => OptionValues.Operands(parseResult) is [_] ? null : "takes exactly one pair name: orleans-proxy switchover PAIR",
        RunAsync);

    private static async Task<int> RunAsync(ParseResult parseResult, Uri address, CancellationToken cancellationToken)
    {
        var (output, error) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        var pair = OptionValues.Operands(parseResult)[0];
        using var client = AdminClient.Create(address);
        try
        {
            var status = await client.SwitchoverAsync(pair, cancellationToken);
            await output.WriteLineAsync(
                $"pair {status.Name}: {status.ActiveMember} ({status.ActiveRole.ToString().ToLowerInvariant()}) is now active");
            return ExitCodes.Success;
        }
        catch (AdminClientException e)
        {
            await error.WriteLineAsync($"switchover of pair '{pair}' failed: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
