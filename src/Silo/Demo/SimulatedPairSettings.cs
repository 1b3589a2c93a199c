using System.CommandLine;
using System.Globalization;
using System.Net;
using OrleansProxy.Silo.Cli;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// The switches of <c>orleans-proxy simulated-pair</c>. Bench scripts depend on these names; keep them.
/// </summary>
/// <param name="DieAfter">Counted from the first INVITE the pair receives, so the death lines up with a load started later.</param>
/// <param name="ReviveAfter">Counted from the death; null never revives.</param>
internal sealed record SimulatedPairSettings(
    IPEndPoint Primary,
    IPEndPoint Backup,
    StandbyBehavior Standby,
    DeathKind Death,
    TimeSpan DieAfter,
    TimeSpan Takeover,
    TakeoverAnnouncement Announce,
    IPEndPoint? Proxy,
    TimeSpan? ReviveAfter,
    TimeSpan RunFor,
    string? ReportFile)
{
    /// <summary>
    /// Adds the switches to <paramref name="command"/>; the reader it returns builds the settings from a parse without
    /// faults, or names the one fault between switches (a missing member, the same member twice, --announce without --proxy).
    /// </summary>
    public static Func<ParseResult, (SimulatedPairSettings? Settings, string? Fault)> AddOptions(Command command)
    {
        const string EndPoint = "IP:PORT, e.g. 127.0.0.1:5070 or [::1]:5070";
        const string Seconds = "seconds (0 or more, e.g. 1.5)";
        var primary = OptionValues.Create<IPEndPoint?>("--primary", null, TryEndPoint, EndPoint);
        var backup = OptionValues.Create<IPEndPoint?>("--backup", null, TryEndPoint, EndPoint);
        var proxy = OptionValues.Create<IPEndPoint?>("--proxy", null, TryEndPoint, EndPoint);
        var standby = OptionValues.Create<StandbyBehavior>("--standby", StandbyBehavior.Refuse503, TryStandby, "silent or 503");
        var death = OptionValues.Create<DeathKind>("--death", DeathKind.Freeze, TryDeath, "freeze or close");
        var announce = OptionValues.Create<TakeoverAnnouncement>("--announce", TakeoverAnnouncement.None, TryAnnounce, "none, options or request");
        var dieAfter = OptionValues.Create<TimeSpan>("--die-after", TimeSpan.FromSeconds(6), TrySeconds, Seconds);
        var takeover = OptionValues.Create<TimeSpan>("--takeover", TimeSpan.FromSeconds(2), TrySeconds, Seconds);
        var reviveAfter = OptionValues.Create<TimeSpan?>("--revive-after", null, TryOptionalSeconds, Seconds);
        var runFor = OptionValues.Create<TimeSpan>("--run-for", TimeSpan.FromSeconds(30), TryPositiveSeconds, "seconds greater than 0");
        var report = OptionValues.Create<string?>("--report", null, TryFileName, "a file name");
        foreach (var option in new Option[] { primary, backup, standby, death, dieAfter, takeover, announce, proxy, reviveAfter, runFor, report })
        {
            command.Options.Add(option);
        }

        return parseResult =>
        {
            var (primaryEndPoint, backupEndPoint, proxyEndPoint) = (parseResult.GetValue(primary), parseResult.GetValue(backup), parseResult.GetValue(proxy));
            var announcement = parseResult.GetValue(announce);
            var fault = (primaryEndPoint, backupEndPoint) switch
            {
                (null, _) => "--primary HOST:PORT is required",
                (_, null) => "--backup HOST:PORT is required",
                _ when primaryEndPoint.Equals(backupEndPoint) && primaryEndPoint.Port != 0 => "--primary and --backup must differ",
                _ when announcement != TakeoverAnnouncement.None && proxyEndPoint is null => $"--announce {Name(announcement)} needs --proxy HOST:PORT",
                _ => null,
            };
            return fault is not null
                ? (null, fault)
                : (new SimulatedPairSettings(
                    primaryEndPoint!,
                    backupEndPoint!,
                    parseResult.GetValue(standby),
                    parseResult.GetValue(death),
                    parseResult.GetValue(dieAfter),
                    parseResult.GetValue(takeover),
                    announcement,
                    proxyEndPoint,
                    parseResult.GetValue(reviveAfter),
                    parseResult.GetValue(runFor),
                    parseResult.GetValue(report)), null);
        };
    }

    public static string Name(TakeoverAnnouncement announce) => announce switch
    {
        TakeoverAnnouncement.OptionsToProxy => "options",
        TakeoverAnnouncement.RequestThroughProxy => "request",
        _ => "none",
    };

    public static string Name(StandbyBehavior standby) => standby == StandbyBehavior.Silent ? "silent" : "503";

    public static string Name(DeathKind death) => death == DeathKind.Freeze ? "freeze" : "close";

    private static bool TryEndPoint(string value, out IPEndPoint? endPoint)
    {
        var text = value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" + value["localhost".Length..] : value;
        var colon = text.LastIndexOf(':');

        // The port is required, and an IPv6 host must be in brackets, or "::1:5070" would be read as an address.
        var hasPort = colon > 0 && colon < text.Length - 1 && text.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0
            && (text.IndexOf(':', StringComparison.Ordinal) == colon || text[colon - 1] == ']');
        if (hasPort && IPEndPoint.TryParse(text, out var parsed))
        {
            endPoint = parsed;
            return true;
        }

        endPoint = null;
        return false;
    }

    private static bool TrySeconds(string value, out TimeSpan span)
    {
        var ok = double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and <= 86_400;
        span = ok ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        return ok;
    }

    private static bool TryPositiveSeconds(string value, out TimeSpan span) => TrySeconds(value, out span) && span > TimeSpan.Zero;

    private static bool TryFileName(string value, out string? file)
    {
        file = value.Length > 0 ? value : null;
        return file is not null;
    }

    private static bool TryOptionalSeconds(string value, out TimeSpan? span)
    {
        var ok = TrySeconds(value, out var seconds);
        span = ok ? seconds : null;
        return ok;
    }

    private static bool TryStandby(string value, out StandbyBehavior standby)
    {
        standby = value == "silent" ? StandbyBehavior.Silent : StandbyBehavior.Refuse503;
        return value is "silent" or "503";
    }

    /// <summary>freeze or close; the demo takes the same words.</summary>
    public static bool TryDeath(string value, out DeathKind death)
    {
        death = value == "close" ? DeathKind.ClosePort : DeathKind.Freeze;
        return value is "freeze" or "close";
    }

    private static bool TryAnnounce(string value, out TakeoverAnnouncement announce)
    {
        announce = value switch
        {
            "options" => TakeoverAnnouncement.OptionsToProxy,
            "request" => TakeoverAnnouncement.RequestThroughProxy,
            _ => TakeoverAnnouncement.None,
        };
        return value is "none" or "options" or "request";
    }
}
