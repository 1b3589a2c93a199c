using System.CommandLine;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Silo.Cli;

/// <summary>
/// "orleans-proxy check-config FILE": validates FILE exactly as "run --config FILE" would load it (on top of
/// appsettings.json, under the environment and overrides) and starts nothing. One line per fault, exit 1 on any.
/// </summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var command = new Command("check-config", "Validate FILE as \"run --config FILE\" would load it; starts nothing.");
        var configuration = ConfigurationOptions.ForCheck(command);
        command.SetAction((parseResult, _) => RunAsync(parseResult, configuration));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, ConfigurationOptions options)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (OptionValues.Operands(parseResult) is not [var file])
        {
            return UsageFault.Report(parseResult, "takes exactly one file: orleans-proxy check-config FILE");
        }

        var configuration = ConfigurationLoader.Load(options.Sources(parseResult, OptionValues.Overrides(parseResult), file));
        if (!configuration.IsValid)
        {
            foreach (var fault in configuration.Faults)
            {
                await output.WriteLineAsync(ProxyRunner.ConfigErrorPrefix + fault);
            }

            return ExitCodes.Failed;
        }

        var settings = configuration.Settings;
        await output.WriteLineAsync(
            $"{file}: ok ({settings.Pairs.Length} pair(s), listening on {string.Join(", ", settings.Listen)}, admin {settings.AdminUrl})");
        return ExitCodes.Success;
    }
}
