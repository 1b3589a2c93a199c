using System.CommandLine;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Cli;

/// <summary>
/// What a verb that loads the node's configuration takes: "--config FILE" (repeatable), "--log-format text|json",
/// and the tokens the command line does not claim, such as "--Proxy:Mode=stateless", which reach the
/// configuration's command-line source as they were typed.
/// </summary>
internal sealed class ConfigurationOptions
{
    public const string LogFormatKey = "--Proxy:Admin:LogFormat";

    private readonly Option<string[]>? config;
    private readonly Option<string?>? logFormat;

    private ConfigurationOptions(Command command, bool configFiles, bool logs)
    {
        if (configFiles)
        {
            config = new Option<string[]>(ConfigurationLoader.ConfigFileOption)
            {
                Description = "a JSON configuration file, read after appsettings.json",
                Arity = ArgumentArity.OneOrMore,
                AllowMultipleArgumentsPerToken = false,
            };
            command.Options.Add(config);
        }

        if (logs)
        {
            logFormat = new Option<string?>("--log-format") { Description = "console log format, text or json (same as Proxy:Admin:LogFormat)" };
            command.Options.Add(logFormat);
        }

        command.TreatUnmatchedTokensAsErrors = false;
    }

    /// <summary>run: --config and --log-format.</summary>
    public static ConfigurationOptions ForNode(Command command) => new(command, configFiles: true, logs: true);

    /// <summary>The admin verbs, which read Proxy:Admin:Url: --config.</summary>
    public static ConfigurationOptions ForAdminUrl(Command command) => new(command, configFiles: true, logs: false);

    /// <summary>check-config, whose file is its operand: --log-format, as run would take it.</summary>
    public static ConfigurationOptions ForCheck(Command command) => new(command, configFiles: false, logs: true);

    /// <summary>
    /// The sources for <see cref="ConfigurationLoader"/>: the files as full paths (a reload reads them again wherever
    /// the node runs from), then "--log-format" as the key it stands for and <paramref name="overrides"/> in the
    /// order typed, so that a later source still wins.
    /// </summary>
    public ConfigurationSources Sources(ParseResult parseResult, IEnumerable<string> overrides, string? operandFile = null)
    {
        var files = config is null ? [] : parseResult.GetValue(config) ?? [];
        var format = logFormat is null ? null : parseResult.GetValue(logFormat);
        return new ConfigurationSources(
            [.. files.Concat(operandFile is null ? [] : [operandFile]).Select(Path.GetFullPath)],
            [.. format is null ? [] : new[] { $"{LogFormatKey}={format}" }, .. overrides],
            AppContext.BaseDirectory);
    }
}
