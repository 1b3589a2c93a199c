using System.Collections.Immutable;
using System.Text.Json;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Admin;

namespace OrleansProxy.Silo.Tests.Admin;

/// <summary>The admin API's wire format is a contract: these tests pin it field by field.</summary>
public sealed class PairStatusDtoTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Serialize_SwitchedPair_ExactWireFormat()
    {
        var status = new PairStatus(
            "main",
            new MemberStatus("10.0.0.1:5060", MemberRole.Primary, MemberHealth.Down, 3, null, At, null),
            new MemberStatus("10.0.0.2:5060", MemberRole.Backup, MemberHealth.Serving, 0, TimeSpan.FromTicks(12_346), At, At, 200),
            MemberRole.Backup,
            Available: true,
            [new SwitchoverRecord(At, "10.0.0.1:5060", "10.0.0.2:5060", SwitchoverReason.ActiveDown, "primary missed 2 probes")]);

        var json = JsonSerializer.Serialize(PairStatusDto.Create(status, "berlin"), AdminJsonContext.Wire.PairStatusDto);

        Assert.Equal(
            """
            {"name":"main","available":true,"activeMember":"10.0.0.2:5060","activeRole":"Backup","members":[
            {"address":"10.0.0.1:5060","role":"Primary","health":"Down","consecutiveFailures":3,"lastProbeRttMs":null,"lastProbeAt":"2025-01-02T03:04:05+00:00","lastAnsweredAt":null,"lastProbeStatus":0},
            {"address":"10.0.0.2:5060","role":"Backup","health":"Serving","consecutiveFailures":0,"lastProbeRttMs":1.235,"lastProbeAt":"2025-01-02T03:04:05+00:00","lastAnsweredAt":"2025-01-02T03:04:05+00:00","lastProbeStatus":200}],
            "history":[{"at":"2025-01-02T03:04:05+00:00","from":"10.0.0.1:5060","to":"10.0.0.2:5060","reason":"ActiveDown","detail":"primary missed 2 probes"}],"site":"berlin","unavailableSince":null}
            """.ReplaceLineEndings(string.Empty),
            json);
    }

    [Fact]
    public void Serialize_UnavailablePairWithoutHistory_NamesTheDesignatedActiveMember()
    {
        var status = new PairStatus(
            "main",
            new MemberStatus("10.0.0.1:5060", MemberRole.Primary, MemberHealth.Down, 2, null, At, null),
            new MemberStatus("10.0.0.2:5060", MemberRole.Backup, MemberHealth.Unknown, 0, null, null, null),
            MemberRole.Primary,
            Available: false,
            ImmutableArray<SwitchoverRecord>.Empty);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(PairStatusDto.Create(status, site: null), AdminJsonContext.Wire.PairStatusDto));

        Assert.False(json.RootElement.GetProperty("available").GetBoolean());
        Assert.Equal("10.0.0.1:5060", json.RootElement.GetProperty("activeMember").GetString());
        Assert.Equal("Unknown", json.RootElement.GetProperty("members")[1].GetProperty("health").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("history").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("site").ValueKind);
    }

    [Fact]
    public void Serialize_Error_SingleErrorField()
    {
        Assert.Equal(
            """{"error":"unknown pair 'x'"}""",
            JsonSerializer.Serialize(new AdminErrorDto("unknown pair 'x'"), AdminJsonContext.Wire.AdminErrorDto));
    }
}
