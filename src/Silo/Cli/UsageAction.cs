using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace OrleansProxy.Silo.Cli;

/// <summary>
/// "--help", "-h" on any verb, and the "help" verb: <see cref="Usage.Text"/>, which also lists the configuration keys
/// that the generated help cannot know of.
/// </summary>
internal sealed class UsageAction : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public static HelpOption CreateOption() => new("--help", "-h") { Recursive = true, Action = new UsageAction() };

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.Write(Usage.Text);
        return ExitCodes.Success;
    }
}
