using System.Net;
using System.Text.Json;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Admin;

/// <summary>GET /api/routes: the routing configuration, and what the policy decides for a sample request.</summary>
public sealed class RoutesApiTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private HttpClient Admin => fixture.Host.Admin;

    [Fact]
    public async Task GetRoutes_NoSample_ShowsSiteRulesNetworksAndStaticRoutes()
    {
        using var routes = await GetJsonAsync("/api/routes", HttpStatusCode.OK);
        var root = routes.RootElement;

        Assert.Equal("berlin", root.GetProperty("site").GetString());
        Assert.Equal("alpha", root.GetProperty("defaultPair").GetString());
        var rule = Assert.Single(root.GetProperty("rules").EnumerateArray().ToList());
        Assert.Equal(
            ("Proxy:Routing:Rules:0", "Domain", "lonely.example.com", "lonely"),
            (rule.GetProperty("key").GetString(), rule.GetProperty("kind").GetString(), rule.GetProperty("condition").GetString(), rule.GetProperty("pair").GetString()));
        Assert.Equal(["192.0.2.0/24"], root.GetProperty("trustedNetworks").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(0, root.GetProperty("userAgentNetworks").GetArrayLength());
        var route = Assert.Single(root.GetProperty("staticRoutes").EnumerateArray().ToList());
        Assert.Equal("tcp://127.0.0.1:7099", route.GetProperty("target").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("sample").ValueKind);
    }

    [Fact]
    public async Task GetRoutes_UserAgentSampleMatchingARule_ShowsThePairAndItsActiveMember()
    {
        // A node holds requests until a probe answers; the sample shows the route once the pair serves.
        await Eventually.Satisfies(
            () => Admin.GetStringAsync("/api/pairs/lonely"),
            pair => pair.Contains("\"available\":true", StringComparison.Ordinal),
            "pair 'lonely' to serve");
        using var routes = await GetJsonAsync("/api/routes?ruri=sip:bob@lonely.example.com&source=203.0.113.5", HttpStatusCode.OK);
        var sample = routes.RootElement.GetProperty("sample");

        Assert.Equal("userAgent", sample.GetProperty("sentBy").GetString());
        Assert.Equal("forward", sample.GetProperty("decision").GetString());
        Assert.Equal("lonely", sample.GetProperty("pair").GetString());
        Assert.Equal("127.0.0.1:7080", sample.GetProperty("destination").GetString());
        Assert.Equal("udp", sample.GetProperty("transport").GetString());
        Assert.Equal("rule Proxy:Routing:Rules:0 (Domain lonely.example.com)", sample.GetProperty("reason").GetString());
        Assert.Equal("203.0.113.5:5060", sample.GetProperty("source").GetString());
    }

    [Fact]
    public async Task GetRoutes_UserAgentSampleToAnotherHost_ShowsTheOpenRelayRefusal()
    {
        using var routes = await GetJsonAsync("/api/routes?ruri=sip:bob@198.51.100.7&source=203.0.113.5:5070", HttpStatusCode.OK);
        var sample = routes.RootElement.GetProperty("sample");

        Assert.Equal("reject", sample.GetProperty("decision").GetString());
        Assert.Equal(403, sample.GetProperty("statusCode").GetInt32());
        Assert.Equal("Forbidden (relaying to 198.51.100.7 is not allowed)", sample.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, sample.GetProperty("destination").ValueKind);
    }

    [Fact]
    public async Task GetRoutes_ServerSampleForAStaticRouteDomain_ShowsTheStaticTarget()
    {
        using var routes = await GetJsonAsync("/api/routes?ruri=sip:%2B4930123@carrier.example.net&source=192.0.2.10", HttpStatusCode.OK);
        var sample = routes.RootElement.GetProperty("sample");

        Assert.Equal("server", sample.GetProperty("sentBy").GetString());
        Assert.Equal("127.0.0.1:7099", sample.GetProperty("destination").GetString());
        Assert.Equal("tcp", sample.GetProperty("transport").GetString());
        Assert.Equal("static route Proxy:Routing:StaticRoutes:0 (carrier.example.net)", sample.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("/api/routes?ruri=sip:bob@example.com", "give both ruri (e.g. sip:alice@example.com) and source (IP[:port])")]
    [InlineData("/api/routes?ruri=mailto:bob@example.com&source=203.0.113.5", "ruri 'mailto:bob@example.com' is not a sip:, sips: or tel: URI")]
    [InlineData("/api/routes?ruri=sip:bob@example.com&source=somewhere", "source 'somewhere' is not IP[:port]")]
    [InlineData("/api/routes?ruri=sip:bob@example.com&source=203.0.113.5&listener=udp://10.9.9.9:5060", "listener 'udp://10.9.9.9:5060' is not one of Proxy:Listen")]
    public async Task GetRoutes_BadSample_BadRequestNamingTheParameter(string path, string message)
    {
        using var error = await GetJsonAsync(path, HttpStatusCode.BadRequest);

        Assert.StartsWith(message, error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPairs_WithSites_EveryPairNamesItsSite()
    {
        using var pairs = await GetJsonAsync("/api/pairs", HttpStatusCode.OK);

        Assert.Equal(
            ["berlin", "berlin", "hamburg", null],
            pairs.RootElement.EnumerateArray().Select(p => p.GetProperty("site").GetString()));
    }

    private async Task<JsonDocument> GetJsonAsync(string path, HttpStatusCode expected)
    {
        using var response = await Admin.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }
}
