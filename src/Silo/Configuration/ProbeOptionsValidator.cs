using System.Collections.Immutable;
using System.Globalization;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Silo.Configuration;

/// <summary>Checks "Proxy:Probe" and turns it into the <see cref="ProbeSettings"/> every pair is probed with.</summary>
internal static class ProbeOptionsValidator
{
    public const int MinIntervalMs = 10;
    public const int MaxIntervalMs = 60_000;
    public const int MaxFailuresToDown = 100;

    /// <summary>How often the reminder re-activates a pair's grain and re-arms its probe timer.</summary>
    public static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromMinutes(1);

    public static ProbeSettings Validate(ProbeOptions probe, SectionFaults section)
    {
        var interval = section.Key(nameof(ProbeOptions.IntervalMs));
        var intervalUsable = section.InRange(probe.IntervalMs, nameof(ProbeOptions.IntervalMs), MinIntervalMs, MaxIntervalMs);
        var timeoutUsable = section.InRange(probe.TimeoutMs, nameof(ProbeOptions.TimeoutMs), 1, MaxIntervalMs);
        var fastIntervalUsable = section.InRange(probe.FastIntervalMs, nameof(ProbeOptions.FastIntervalMs), MinIntervalMs, MaxIntervalMs);
        section.InRange(probe.FailuresToDown, nameof(ProbeOptions.FailuresToDown), 1, MaxFailuresToDown);

        // A cross-key check against a key that is already at fault would only repeat that fault.
        if (intervalUsable && timeoutUsable && probe.TimeoutMs >= probe.IntervalMs)
        {
            section.Add(nameof(ProbeOptions.TimeoutMs), $"must be less than {interval} ({SectionFaults.Number(probe.TimeoutMs)} >= {SectionFaults.Number(probe.IntervalMs)})");
        }

        if (intervalUsable && fastIntervalUsable && probe.FastIntervalMs > probe.IntervalMs)
        {
            section.Add(nameof(ProbeOptions.FastIntervalMs), $"must not be more than {interval} ({SectionFaults.Number(probe.FastIntervalMs)} > {SectionFaults.Number(probe.IntervalMs)})");
        }

        return new ProbeSettings(
            TimeSpan.FromMilliseconds(probe.IntervalMs),
            TimeSpan.FromMilliseconds(probe.TimeoutMs),
            probe.FailuresToDown,
            TimeSpan.FromMilliseconds(probe.FastIntervalMs),
            KeepAlivePeriod,
            ValidateServingCodes(probe.ServingCodes, section.Child(nameof(ProbeOptions.ServingCodes))));
    }

    private static ServingCodes? ValidateServingCodes(IList<string>? entries, SectionFaults list)
    {
        if (entries is null)
        {
            return null;
        }

        var classes = ImmutableArray.CreateBuilder<int>();
        var codes = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            var text = entries[i].Trim();
            if (text.Length == 3 && text.EndsWith("xx", StringComparison.OrdinalIgnoreCase) && text[0] is >= '2' and <= '6')
            {
                classes.Add(text[0] - '0');
            }
            else if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 200 and <= 699)
            {
                codes.Add(code);
            }
            else
            {
                list.Entry(i).Add($"'{entries[i]}' is not a final status code (200-699) or class (2xx-6xx)");
            }
        }

        if (entries.Count == 0)
        {
            list.Add("at least one code or class is required (default: 2xx)");
        }

        return new ServingCodes(classes.ToImmutable(), codes.ToImmutable());
    }
}
