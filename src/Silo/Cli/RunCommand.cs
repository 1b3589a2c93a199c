using System.CommandLine;
using System.CommandLine.Parsing;
using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Silo.Cli;

/// <summary>
/// "orleans-proxy [run] [--config FILE] [--log-format text|json] [--Key=Value ...]": the proxy node. Run is also the
/// root command, so that a command line without a verb runs the node; a first word that is no verb is refused.
/// </summary>
internal static class RunCommand
{
    public const string Name = "run";

    public static Command Create() => WithRunAction(new Command(Name, "Run the proxy (the default when no verb is given)."));

    /// <summary>The command line's root: runs the node when no verb is named.</summary>
    public static Command CreateRoot() => WithRunAction(new Command("orleans-proxy", "A high-availability SIP proxy in front of primary/backup SIP server pairs."));

    private static Command WithRunAction(Command command)
    {
        var configuration = ConfigurationOptions.ForNode(command);
        command.SetAction((parseResult, _) =>
        {
            if (parseResult.CommandResult.Command.Name != Name && parseResult.Tokens is [{ Type: TokenType.Argument } first, ..] && !first.Value.StartsWith('-'))
            {
                var error = parseResult.InvocationConfiguration.Error;
                error.WriteLine($"unknown verb '{first.Value}'");
                error.Write(Usage.Text);
                return Task.FromResult(ExitCodes.BadUsage);
            }

            // Every token the command line does not claim is a configuration override, "--Key value" as well as "--Key=Value".
            return ProxyRunner.RunAsync(configuration.Sources(parseResult, parseResult.UnmatchedTokens), parseResult.InvocationConfiguration.Error, configureServices: null);
        });
        return command;
    }
}
