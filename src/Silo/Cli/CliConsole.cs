using Spectre.Console;

namespace OrleansProxy.Silo.Cli;

internal static class CliConsole
{
    // Redirected output has no width of its own; 80 columns would wrap member addresses and health mid-way.
    private const int RedirectedWidth = 200;

    /// <summary>A Spectre console on <paramref name="output"/>: colours on a terminal, plain text when redirected or captured.</summary>
    public static IAnsiConsole For(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
