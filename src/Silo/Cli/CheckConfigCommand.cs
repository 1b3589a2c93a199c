using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Silo.Cli;

/// <summary>
/// "orleans-proxy check-config FILE": validates FILE exactly as "run --config FILE" would load it (on top of
/// appsettings.json, under the environment and overrides) and starts nothing. One line per fault, exit 1 on any.
/// </summary>
internal static class CheckConfigCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var files = args.Where(a => !a.StartsWith('-')).ToList();
        if (files.Count != 1)
        {
            await error.WriteLineAsync("check-config takes exactly one file: orleans-proxy check-config FILE");
            return ExitCodes.BadUsage;
        }

        string[] loadArgs = [ConfigurationLoader.ConfigFileOption, files[0], .. args.Where(a => a.StartsWith('-'))];
        var configuration = ConfigurationLoader.Load(NodeLogging.TranslateOptions(loadArgs), AppContext.BaseDirectory);
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
            $"{files[0]}: ok ({settings.Pairs.Length} pair(s), listening on {string.Join(", ", settings.Listen)}, admin {settings.AdminUrl})");
        return ExitCodes.Success;
    }
}
