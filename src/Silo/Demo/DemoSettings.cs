using System.CommandLine;
using System.Globalization;
using OrleansProxy.Silo.Cli;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Demo;

/// <summary>The demo's own switches: how many calls, how fast, how long each is held, how the primary dies. Everything else is fixed on purpose.</summary>
internal sealed record DemoSettings(int Calls, double CallsPerSecond, TimeSpan Hold, DeathKind Death)
{
    public static readonly DemoSettings Default = new(100, 20, TimeSpan.FromSeconds(2), DeathKind.ClosePort);

    /// <summary>The standby's own HA heartbeat: how long the pair serves no one after the primary died.</summary>
    public static readonly TimeSpan TakeoverDelay = TimeSpan.FromSeconds(1.5);

    /// <summary>Adds the switches to <paramref name="command"/>; the reader it returns builds the settings from a parse without faults.</summary>
    public static Func<ParseResult, DemoSettings> AddOptions(Command command)
    {
        var calls = OptionValues.Create("--calls", Default.Calls, TryCalls, "a whole number from 2 to 100000");
        var rate = OptionValues.Create("--rate", Default.CallsPerSecond, TryRate, "calls a second, more than 0 and up to 2000");
        var hold = OptionValues.Create("--hold", Default.Hold, TryHold, "seconds from 0 to 60");
        var death = OptionValues.Create<DeathKind>("--death", Default.Death, SimulatedPairSettings.TryDeath, "freeze or close");
        command.Options.Add(calls);
        command.Options.Add(rate);
        command.Options.Add(hold);
        command.Options.Add(death);
        return parseResult => new DemoSettings(parseResult.GetValue(calls), parseResult.GetValue(rate), parseResult.GetValue(hold), parseResult.GetValue(death));
    }

    private static bool TryCalls(string text, out int calls) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out calls) && calls is >= 2 and <= 100_000;

    private static bool TryRate(string text, out double rate) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out rate) && rate is > 0 and <= 2_000;

    private static bool TryHold(string text, out TimeSpan hold)
    {
        var ok = double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and <= 60;
        hold = ok ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        return ok;
    }
}
