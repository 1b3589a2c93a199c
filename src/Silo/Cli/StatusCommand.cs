using System.CommandLine;
using System.Globalization;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Admin;
using Spectre.Console;

namespace OrleansProxy.Silo.Cli;

/// <summary>"orleans-proxy status": a running node's pairs as a table.</summary>
internal static class StatusCommand
{
    public static Command Create() =>
        AdminAddress.CreateVerb("status", "Show a running node's pairs: members, health, active member, last switchover.", UsageFault.NoOperands, RunAsync);

    private static async Task<int> RunAsync(ParseResult parseResult, Uri address, CancellationToken cancellationToken)
    {
        var (output, error) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        using var client = AdminClient.Create(address);
        PairStatusDto[] pairs;
        try
        {
            pairs = await client.GetPairsAsync(cancellationToken);
        }
        catch (AdminClientException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.Failed;
        }

        CliConsole.For(output).Write(Render(pairs, address));
        return ExitCodes.Success;
    }

    internal static Table Render(IReadOnlyList<PairStatusDto> pairs, Uri address)
    {
        var table = new Table()
            .Title($"orleans-proxy at {Markup.Escape(address.ToString())}")
            .AddColumns("Pair", "Available", "Active", "Primary", "Backup", "Last switchover");
        foreach (var pair in pairs)
        {
            table.AddRow(
                Markup.Escape(pair.Name),
                pair.Available ? "[green]yes[/]" : "[red]no[/]",
                $"[bold]{Markup.Escape(pair.ActiveMember)}[/] ({pair.ActiveRole.ToString().ToLowerInvariant()})",
                Member(pair.Members[0]),
                Member(pair.Members[1]),
                LastSwitchover(pair.History));
        }

        return table;
    }

    private static string Member(MemberStatusDto member)
    {
        var health = member.Health switch
        {
            MemberHealth.Serving => "[green]serving[/]",
            MemberHealth.NotServing => $"[yellow]not serving ({member.LastProbeStatus})[/]",
            MemberHealth.Down => "[red]down[/]",
            _ => "[yellow]unknown[/]",
        };
        var rtt = member.LastProbeRttMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $" {ms:0.0} ms") : string.Empty;
        return $"{Markup.Escape(member.Address)} {health}{rtt}";
    }

    private static string LastSwitchover(IReadOnlyList<SwitchoverDto> history)
    {
        if (history.Count == 0)
        {
            return "none";
        }

        var last = history[^1];
        var at = last.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return Markup.Escape($"{at} to {last.To} ({last.Reason})");
    }
}
