using System.CommandLine;

namespace OrleansProxy.Silo.Cli;

/// <summary>"orleans-proxy switchover PAIR": makes a running node's pair switch to its standby member.</summary>
internal static class SwitchoverCommand
{
    public static Command Create()
    {
        var command = new Command("switchover", "Make a running node's pair switch to its standby member.");
        var admin = AdminAddress.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, admin, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, AdminAddress admin, CancellationToken cancellationToken)
    {
        var (output, error) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        if (OptionValues.Operands(parseResult) is not [var pair])
        {
            return UsageFault.Report(parseResult, "takes exactly one pair name: orleans-proxy switchover PAIR");
        }

        using var client = AdminClient.Create(admin.Resolve(parseResult));
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
