using System.Text;
using System.Text.Json;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Demo;

/// <summary>The JSON report of <c>simulated-pair</c>. Bench scripts read these field names; keep them.</summary>
internal static class SimulatedPairJson
{
    public static string Write(SimulatedHaPair pair, SimulatedPairSettings settings)
    {
        var report = pair.Report;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("standby", SimulatedPairSettings.Name(settings.Standby));
            json.WriteString("death", SimulatedPairSettings.Name(settings.Death));
            json.WriteNumber("dieAfterSeconds", settings.DieAfter.TotalSeconds);
            json.WriteNumber("takeoverSeconds", settings.Takeover.TotalSeconds);
            json.WriteString("announce", SimulatedPairSettings.Name(settings.Announce));
            Time(json, "firstInviteAt", report.FirstInviteAt);
            Time(json, "diedAt", report.DiedAt);
            Time(json, "takeoverAt", report.TakeoverAt);
            Time(json, "firstInviteAfterTakeoverAt", report.FirstInviteAfterTakeoverAt);
            Number(json, "firstInviteAfterTakeoverMs", report.FirstInviteAfterTakeoverMs);
            Number(json, "gapMs", report.Gap?.TotalMilliseconds);
            json.WriteNumber("requestsToStandby", report.RequestsToStandby);
            json.WriteNumber("optionsToStandby", report.OptionsToStandby);
            json.WriteNumber("invitesAnswered", report.InvitesAnswered);
            json.WriteNumber("byesAnswered", report.ByesAnswered);
            json.WriteNumber("byesForOtherMembersDialogs", report.ByesForOtherMembersDialogs);
            json.WriteNumber("unknownDialog481", report.UnknownDialog481);
            json.WriteStartObject("members");
            Member(json, pair.Primary, report.Primary);
            Member(json, pair.Backup, report.Backup);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Member(Utf8JsonWriter json, SimulatedServer member, SimulatedServerCounts counts)
    {
        json.WriteStartObject(member.Name);
        json.WriteString("address", member.EndPoint.ToString());
        json.WriteString("state", member.State.ToString().ToLowerInvariant());
        json.WriteNumber("requestsToStandby", counts.NewRequestsWhileStandby);
        json.WriteNumber("optionsToStandby", counts.OptionsWhileStandby);
        json.WriteNumber("invitesReceived", counts.InvitesReceived);
        json.WriteNumber("invitesAnswered", counts.InvitesAnswered);
        json.WriteNumber("invitesCancelled", counts.InvitesCancelled);
        json.WriteNumber("invitesRefused", counts.InvitesRefused);
        json.WriteNumber("acksReceived", counts.AcksReceived);
        json.WriteNumber("byesAnswered", counts.ByesAnswered);
        json.WriteNumber("byesForOtherMembersDialogs", counts.ByesForOtherMembersDialogs);
        json.WriteNumber("unknownDialog481", counts.UnknownDialog481);
        json.WriteNumber("optionsAnswered", counts.OptionsAnswered);
        json.WriteNumber("malformed", counts.MalformedMessages);
        Methods(json, "requestsWhileActive", counts.RequestsWhileActive);
        Methods(json, "requestsWhileStandby", counts.RequestsWhileStandby);
        json.WriteEndObject();
    }

    private static void Methods(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, long> counts)
    {
        json.WriteStartObject(name);
        foreach (var (method, count) in counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(method, count);
        }

        json.WriteEndObject();
    }

    private static void Time(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } at)
        {
            json.WriteString(name, at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, Math.Round(number, 1));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
