namespace OrleansProxy.Silo.Cli;

/// <summary>"orleans-proxy switchover PAIR": makes a running node's pair switch to its standby member.</summary>
internal static class SwitchoverCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!AdminAddress.TryResolve(args, out var address, out var operands, out var fault) || operands.Count != 1)
        {
            await error.WriteLineAsync(fault ?? "switchover takes exactly one pair name: orleans-proxy switchover PAIR");
            return ExitCodes.BadUsage;
        }

        using var client = AdminClient.Create(address);
        try
        {
            var status = await client.SwitchoverAsync(operands[0], cancellationToken);
            await output.WriteLineAsync(
                $"pair {status.Name}: {status.ActiveMember} ({status.ActiveRole.ToString().ToLowerInvariant()}) is now active");
            return ExitCodes.Success;
        }
        catch (AdminClientException e)
        {
            await error.WriteLineAsync($"switchover of pair '{operands[0]}' failed: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
