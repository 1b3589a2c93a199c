using System.Net;
using System.Text.Json;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Admin;

/// <summary>The admin API against a running host with the real pair grain and a fake prober.</summary>
public sealed class AdminApiTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private HttpClient Admin => fixture.Host.Admin;

    [Fact]
    public async Task Healthz_HostRunning_ReturnsOk()
    {
        using var response = await Admin.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Start_HostStarted_ProbesPairsNobodyAskedFor()
    {
        await Eventually.Satisfies(
            () => Task.FromResult((fixture.Host.Prober.ProbeCount("127.0.0.1:7090"), fixture.Host.Prober.ProbeCount("127.0.0.1:7091"))),
            counts => counts.Item1 > 0 && counts.Item2 > 0,
            "probes of pair 'idle'");
    }

    [Fact]
    public async Task GetPairs_Running_EveryConfiguredPairInOrder()
    {
        using var pairs = await GetJsonAsync("/api/pairs", HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Array, pairs.RootElement.ValueKind);
        Assert.Equal(
            ["alpha", "swing", "lonely", "idle"],
            pairs.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task GetPair_BothAnswering_CamelCaseStatusWithEnumNames()
    {
        var alpha = await WaitForPairAsync("alpha", p => Member(p, 0).GetProperty("health").GetString() == "Serving" &&
                                                         Member(p, 1).GetProperty("health").GetString() == "Serving");

        Assert.True(alpha.GetProperty("available").GetBoolean());
        Assert.Equal("127.0.0.1:7060", alpha.GetProperty("activeMember").GetString());
        Assert.Equal("Primary", alpha.GetProperty("activeRole").GetString());
        Assert.Equal(JsonValueKind.Array, alpha.GetProperty("history").ValueKind);
        var primary = Member(alpha, 0);
        Assert.Equal("127.0.0.1:7060", primary.GetProperty("address").GetString());
        Assert.Equal("Primary", primary.GetProperty("role").GetString());
        Assert.Equal(0, primary.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(JsonValueKind.Number, primary.GetProperty("lastProbeRttMs").ValueKind);
        Assert.Equal(JsonValueKind.String, primary.GetProperty("lastProbeAt").ValueKind);
        Assert.Equal(JsonValueKind.String, primary.GetProperty("lastAnsweredAt").ValueKind);
        Assert.Equal("Backup", Member(alpha, 1).GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("/api/pairs/nope")]
    [InlineData("/api/pairs/ALPHA")]
    public async Task GetPair_Unknown_NotFoundWithError(string path)
    {
        using var error = await GetJsonAsync(path, HttpStatusCode.NotFound);

        Assert.StartsWith("unknown pair", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switchover_BothMembersUp_BackupBecomesActive()
    {
        await WaitForPairAsync("swing", p => Member(p, 1).GetProperty("health").GetString() == "Serving");

        using var response = await Admin.PostAsync(new Uri("/api/pairs/swing/switchover", UriKind.Relative), content: null);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Backup", status.RootElement.GetProperty("activeRole").GetString());
        Assert.Equal("127.0.0.1:7071", status.RootElement.GetProperty("activeMember").GetString());
        var last = status.RootElement.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("Manual", last.GetProperty("reason").GetString());
        Assert.Equal("127.0.0.1:7070", last.GetProperty("from").GetString());
        Assert.Equal("127.0.0.1:7071", last.GetProperty("to").GetString());
        Assert.Equal(JsonValueKind.String, last.GetProperty("at").ValueKind);
        Assert.Equal(JsonValueKind.String, last.GetProperty("detail").ValueKind);

        using var after = await GetJsonAsync("/api/pairs/swing", HttpStatusCode.OK);
        Assert.Equal("Backup", after.RootElement.GetProperty("activeRole").GetString());
    }

    [Fact]
    public async Task Switchover_StandbyDown_ConflictWithTheGrainsReason()
    {
        await WaitForPairAsync("lonely", p => Member(p, 1).GetProperty("health").GetString() == "Down");

        using var response = await Admin.PostAsync(new Uri("/api/pairs/lonely/switchover", UriKind.Relative), content: null);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("error").GetString()));
        using var after = await GetJsonAsync("/api/pairs/lonely", HttpStatusCode.OK);
        Assert.Equal("Primary", after.RootElement.GetProperty("activeRole").GetString());
    }

    [Fact]
    public async Task Switchover_UnknownPair_NotFound()
    {
        using var response = await Admin.PostAsync(new Uri("/api/pairs/nope/switchover", UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static JsonElement Member(JsonElement pair, int index) => pair.GetProperty("members")[index];

    private async Task<JsonElement> WaitForPairAsync(string name, Func<JsonElement, bool> condition)
    {
        return await Eventually.Satisfies(
            async () =>
            {
                using var pair = await GetJsonAsync($"/api/pairs/{name}", HttpStatusCode.OK);
                return pair.RootElement.Clone();
            },
            condition,
            $"pair '{name}' to reach the expected state");
    }

    private async Task<JsonDocument> GetJsonAsync(string path, HttpStatusCode expected)
    {
        using var response = await Admin.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
