using System.CommandLine;

namespace OrleansProxy.Silo.Cli;

/// <summary>Options whose values are checked as they are parsed, so that a refused value is one usage fault that names the option and what it expects.</summary>
internal static class OptionValues
{
    public delegate bool TryParse<T>(string text, out T value);

    public static Option<T> Create<T>(string name, T defaultValue, TryParse<T> parse, string expected) => new(name)
    {
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (parse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name} '{text}' is not valid; expected {expected}");
            return defaultValue;
        },
    };

    /// <summary>Unclaimed tokens that look like options: configuration overrides such as --Proxy:Admin:Url=URL.</summary>
    public static string[] Overrides(ParseResult parseResult) => [.. parseResult.UnmatchedTokens.Where(token => token.StartsWith('-'))];

    /// <summary>Unclaimed tokens that do not look like options: operands no argument of the verb took.</summary>
    public static string[] Operands(ParseResult parseResult) => [.. parseResult.UnmatchedTokens.Where(token => !token.StartsWith('-'))];
}
