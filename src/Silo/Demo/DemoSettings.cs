using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Demo;

/// <summary>The demo's own switches: how many calls, how fast, how long each is held, how the primary dies. Everything else is fixed on purpose.</summary>
internal sealed record DemoSettings(int Calls, double CallsPerSecond, TimeSpan Hold, DeathKind Death)
{
    public static readonly DemoSettings Default = new(100, 20, TimeSpan.FromSeconds(2), DeathKind.ClosePort);

    /// <summary>The standby's own HA heartbeat: how long the pair serves no one after the primary died.</summary>
    public static readonly TimeSpan TakeoverDelay = TimeSpan.FromSeconds(1.5);

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out DemoSettings? settings, out string fault)
    {
        settings = Default;
        fault = string.Empty;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--calls" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var calls) && calls is >= 2 and <= 100_000:
                    settings = settings with { Calls = calls };
                    i++;
                    break;
                case "--rate" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate is > 0 and <= 2_000:
                    settings = settings with { CallsPerSecond = rate };
                    i++;
                    break;
                case "--hold" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var hold) && hold is >= 0 and <= 60:
                    settings = settings with { Hold = TimeSpan.FromSeconds(hold) };
                    i++;
                    break;
                case "--death" when value is "freeze" or "close":
                    settings = settings with { Death = value == "freeze" ? DeathKind.Freeze : DeathKind.ClosePort };
                    i++;
                    break;
                default:
                    fault = $"demo: '{args[i]}' is not understood; use --calls N (2-100000), --rate CALLS_PER_SECOND (up to 2000), --hold SECONDS (0-60), --death freeze|close";
                    settings = null;
                    return false;
            }
        }

        return true;
    }
}
