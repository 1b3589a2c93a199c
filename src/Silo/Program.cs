using OrleansProxy.Silo.Cli;
using OrleansProxy.Silo.Demo;
using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Silo;

internal static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error);

    internal static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Any(a => a is "--help" or "-h") || args is ["help", ..])
        {
            output.Write(Usage.Text);
            return Task.FromResult(ExitCodes.Success);
        }

        var (verb, rest) = args is [var first, ..] && !first.StartsWith('-') ? (first, args[1..]) : ("run", args);
        switch (verb)
        {
            case "run":
                return ProxyRunner.RunAsync(rest, error, configureServices: null);
            case "demo":
                return DemoCommand.RunAsync(rest, output, error);
            case "simulated-pair":
                return SimulatedPairCommand.RunAsync(rest, output, error, CancellationToken.None);
            case "status":
                return StatusCommand.RunAsync(rest, output, error, CancellationToken.None);
            case "switchover":
                return SwitchoverCommand.RunAsync(rest, output, error, CancellationToken.None);
            case "reload":
                return ReloadCommand.RunAsync(rest, output, error, CancellationToken.None);
            case "routes":
                return RoutesCommand.RunAsync(rest, output, error, CancellationToken.None);
            case "check-config":
                return CheckConfigCommand.RunAsync(rest, output, error);
            default:
                error.WriteLine($"unknown verb '{verb}'");
                error.Write(Usage.Text);
                return Task.FromResult(ExitCodes.BadUsage);
        }
    }
}
