using System.CommandLine;
using System.Runtime.InteropServices;
using OrleansProxy.Silo.Cli;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// <c>orleans-proxy simulated-pair</c>: a realistic HA pair for benchmarks. It waits for the first INVITE, kills the
/// active member <c>--die-after</c> seconds later, lets the standby take over <c>--takeover</c> seconds after that,
/// optionally revives the dead member as the standby, and at the end (run-for, SIGINT or SIGTERM) writes a JSON report.
/// </summary>
internal static class SimulatedPairCommand
{
    public static Command Create()
    {
        var command = new Command("simulated-pair", "Run only the simulated pair, for benchmarks, and write a JSON report of what it saw.");
        var read = SimulatedPairSettings.AddOptions(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var (settings, fault) = UsageFault.Unclaimed(parseResult) is { } unclaimed ? (null, unclaimed) : read(parseResult);
            return settings is null
                ? Task.FromResult(UsageFault.Report(parseResult, fault!))
                : RunAsync(settings, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(SimulatedPairSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        SimulatedHaPair pair;
        try
        {
            pair = SimulatedHaPair.Start(new SimulatedHaPairOptions
            {
                PrimaryEndPoint = settings.Primary,
                BackupEndPoint = settings.Backup,
                Standby = settings.Standby,
                TakeoverDelay = settings.Takeover,
                Announcement = settings.Announce,
                Proxy = settings.Proxy,
            });
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            await error.WriteLineAsync($"simulated-pair: cannot bind {settings.Primary} and {settings.Backup}: {ex.SocketErrorCode}");
            return ExitCodes.Failed;
        }

        await using (pair)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
            await error.WriteLineAsync(
                $"simulated-pair: primary {pair.Primary.EndPoint} active, backup {pair.Backup.EndPoint} standby ({SimulatedPairSettings.Name(settings.Standby)}); "
                + $"the active dies ({SimulatedPairSettings.Name(settings.Death)}) {settings.DieAfter.TotalSeconds}s after the first INVITE, takeover {settings.Takeover.TotalSeconds}s later");
            var scenario = RunScenarioAsync(pair, settings, error, stop.Token);
            try
            {
                await Task.Delay(settings.RunFor, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // SIGINT, SIGTERM or the caller: report what happened so far.
            }

            await stop.CancelAsync();
            await scenario;
            var json = SimulatedPairJson.Write(pair, settings);
            if (settings.ReportFile is { } file)
            {
                await File.WriteAllTextAsync(file, json, CancellationToken.None);
            }
            else
            {
                await output.WriteLineAsync(json);
            }
        }

        return ExitCodes.Success;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    private static async Task RunScenarioAsync(SimulatedHaPair pair, SimulatedPairSettings settings, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var first = await pair.FirstInvite.WaitAsync(cancellationToken);
            await error.WriteLineAsync($"simulated-pair: first INVITE at {first:O}");
            await Task.Delay(settings.DieAfter, cancellationToken);
            var died = await pair.KillActiveAsync(settings.Death);
            await error.WriteLineAsync($"simulated-pair: {died.Name} died at {pair.Report.DiedAt:O}");
            var heir = await pair.WaitForTakeoverAsync(cancellationToken);
            await error.WriteLineAsync($"simulated-pair: {heir.Name} took over at {pair.Report.TakeoverAt:O}");
            if (settings.ReviveAfter is { } reviveAfter)
            {
                var wait = pair.Report.DiedAt!.Value + reviveAfter - TimeProvider.System.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                var revived = pair.ReviveDead();
                await error.WriteLineAsync($"simulated-pair: {revived.Name} is back as the standby");
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended before the scenario did.
        }
    }
}
