using System.CommandLine;

namespace OrleansProxy.Silo.Cli;

/// <summary>A command line that cannot be run: one line on standard error, "VERB: FAULT", and exit code 2.</summary>
internal static class UsageFault
{
    public static int Report(ParseResult parseResult, string fault)
    {
        parseResult.InvocationConfiguration.Error.WriteLine($"{parseResult.CommandResult.Command.Name}: {fault}");
        return ExitCodes.BadUsage;
    }

    /// <summary>For a verb that takes no operands: the ones given, if any.</summary>
    public static string? NoOperands(ParseResult parseResult) =>
        OptionValues.Operands(parseResult) is [_, ..] operands ? $"takes no operands (got '{string.Join(' ', operands)}')" : null;

    /// <summary>The first token nothing claimed, for a verb that takes neither operands nor configuration overrides.</summary>
    public static string? Unclaimed(ParseResult parseResult) =>
        parseResult.UnmatchedTokens.Count == 0 ? null : $"'{parseResult.UnmatchedTokens[0]}' is not understood";
}
