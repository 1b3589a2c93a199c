using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
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
    private const string Verb = "simulated-pair";

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out SimulatedPairSettings? settings, out string fault)
    {
        settings = null;
        IPEndPoint? primary = null, backup = null, proxy = null;
        var standby = StandbyBehavior.Refuse503;
        var death = DeathKind.Freeze;
        var dieAfter = TimeSpan.FromSeconds(6);
        var takeover = TimeSpan.FromSeconds(2);
        var announce = TakeoverAnnouncement.None;
        TimeSpan? reviveAfter = null;
        var runFor = TimeSpan.FromSeconds(30);
        string? report = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                fault = $"{Verb}: '{name}' is not understood or lacks its value";
                return false;
            }

            var value = args[++i];
            var understood = name switch
            {
                "--primary" => TryEndPoint(value, out primary),
                "--backup" => TryEndPoint(value, out backup),
                "--proxy" => TryEndPoint(value, out proxy),
                "--standby" => TryStandby(value, out standby),
                "--death" => TryDeath(value, out death),
                "--announce" => TryAnnounce(value, out announce),
                "--die-after" => TrySeconds(value, out dieAfter),
                "--takeover" => TrySeconds(value, out takeover),
                "--revive-after" => TryOptionalSeconds(value, out reviveAfter),
                "--run-for" => TrySeconds(value, out runFor) && runFor > TimeSpan.Zero,
                "--report" => (report = value).Length > 0,
                _ => (bool?)null,
            };
            if (understood is null)
            {
                fault = $"{Verb}: '{name}' is not understood";
                return false;
            }

            if (understood == false)
            {
                fault = $"{Verb}: {name} '{value}' is not valid; {Expected(name)}";
                return false;
            }
        }

        if (primary is null || backup is null)
        {
            fault = $"{Verb}: {(primary is null ? "--primary" : "--backup")} HOST:PORT is required";
            return false;
        }

        if (primary.Equals(backup) && primary.Port != 0)
        {
            fault = $"{Verb}: --primary and --backup must differ";
            return false;
        }

        if (announce != TakeoverAnnouncement.None && proxy is null)
        {
            fault = $"{Verb}: --announce {Name(announce)} needs --proxy HOST:PORT";
            return false;
        }

        settings = new SimulatedPairSettings(primary, backup, standby, death, dieAfter, takeover, announce, proxy, reviveAfter, runFor, report);
        fault = string.Empty;
        return true;
    }

    public static string Name(TakeoverAnnouncement announce) => announce switch
    {
        TakeoverAnnouncement.OptionsToProxy => "options",
        TakeoverAnnouncement.RequestThroughProxy => "request",
        _ => "none",
    };

    public static string Name(StandbyBehavior standby) => standby == StandbyBehavior.Silent ? "silent" : "503";

    public static string Name(DeathKind death) => death == DeathKind.Freeze ? "freeze" : "close";

    private static string Expected(string name) => name switch
    {
        "--primary" or "--backup" or "--proxy" => "expected IP:PORT, e.g. 127.0.0.1:5070 or [::1]:5070",
        "--standby" => "expected silent or 503",
        "--death" => "expected freeze or close",
        "--announce" => "expected none, options or request",
        "--run-for" => "expected seconds greater than 0",
        "--report" => "expected a file name",
        _ => "expected seconds (0 or more, e.g. 1.5)",
    };

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

    private static bool TryDeath(string value, out DeathKind death)
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
