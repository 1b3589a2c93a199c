using Spectre.Console;

namespace OrleansProxy.Silo.Cli;

internal static class CliConsole
{
    private const int RedirectedWidth = 160;

    /// <summary>A Spectre console on <paramref name="output"/>: colours on a terminal, plain text when redirected or captured.</summary>
    public static IAnsiConsole For(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });

        // Redirected output has no width of its own; 80 columns would wrap member addresses mid-way.
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
