using System.CommandLine;
using System.CommandLine.Invocation;
using OrleansProxy.Silo.Cli;
using OrleansProxy.Silo.Demo;

namespace OrleansProxy.Silo;

internal static class Program
{
    // "@file" and "-abc" stay as typed: they may be configuration overrides, which the configuration reads itself.
    private static readonly ParserConfiguration Parsing = new() { EnablePosixBundling = false, ResponseFileTokenReplacer = null };

    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error);

    internal static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parseResult = CreateCommandLine().Parse(args, Parsing);
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,

            // The node handles SIGTERM itself (drain, then stop), and a failure is logged by the verb that had it.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        if (parseResult.Action is ParseErrorAction)
        {
            error.WriteLine($"{parseResult.CommandResult.Command.Name}: {parseResult.Errors[0].Message}");
            return Task.FromResult(ExitCodes.BadUsage);
        }

        return parseResult.InvokeAsync(invocation, CancellationToken.None);
    }

    private static Command CreateCommandLine()
    {
        var root = RunCommand.CreateRoot();
        root.Options.Add(UsageAction.CreateOption());
        var help = new Command("help", "Show this usage.") { TreatUnmatchedTokensAsErrors = false, Action = new UsageAction() };
        foreach (var verb in new[] { RunCommand.Create(), DemoCommand.Create(), SimulatedPairCommand.Create(), StatusCommand.Create(), SwitchoverCommand.Create(), RoutesCommand.Create(), ReloadCommand.Create(), CheckConfigCommand.Create(), help })
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }
}
