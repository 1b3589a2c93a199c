using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OrleansProxy.Silo.Demo;

/// <summary>The demo's own switches: how many calls and how fast. Everything else is fixed on purpose.</summary>
internal sealed record DemoSettings(int Calls, double CallsPerSecond)
{
    public static readonly DemoSettings Default = new(100, 20);

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
                default:
                    fault = $"demo: '{args[i]}' is not understood; use --calls N (2-100000) and --rate CALLS_PER_SECOND (up to 2000)";
                    settings = null;
                    return false;
            }
        }

        return true;
    }
}
