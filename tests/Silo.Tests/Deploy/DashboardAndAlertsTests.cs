using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansProxy.Silo.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace OrleansProxy.Silo.Tests.Deploy;

/// <summary>
/// The Grafana dashboard and the Prometheus alert rules in deploy/, and the chart's PrometheusRule that carries the
/// same rules. <see cref="MonitoredMetricsTests"/> checks that a running node exports every metric they name.
/// </summary>
public sealed partial class DashboardAndAlertsTests
{
    internal static readonly string DashboardFile = RepositoryFiles.PathOf("deploy", "grafana", "orleans-proxy.json");
    internal static readonly string RulesFile = RepositoryFiles.PathOf("deploy", "prometheus", "orleans-proxy-rules.yaml");
    private static readonly string Chart = RepositoryFiles.PathOf("deploy", "helm", "orleans-proxy");

    private static readonly string[] ExpectedAlerts =
    [
        "OrleansProxyPairUnavailable", "OrleansProxyPairSwitchover", "OrleansProxyMemberDown",
        "OrleansProxyHoldExpiring", "OrleansProxyOverloadShedding", "OrleansProxyMessagesDropped",
        "OrleansProxyTransactionTableNearlyFull",
    ];

    [Fact]
    public void Dashboard_Variables_PrometheusDatasourceAndPair()
    {
        var dashboard = LoadDashboard();
        var variables = dashboard["templating"]!["list"]!.AsArray();

        var datasource = variables.Single(v => (string?)v!["name"] == "datasource")!;
        Assert.Equal("datasource", (string?)datasource["type"]);
        Assert.Equal("prometheus", (string?)datasource["query"]);
        var pair = variables.Single(v => (string?)v!["name"] == "pair")!;
        Assert.Equal("query", (string?)pair["type"]);
        Assert.Contains("label_values(orleansproxy_pair_available", (string?)pair["definition"], StringComparison.Ordinal);
        Assert.All(Targets(dashboard), target => Assert.Equal("${datasource}", (string?)target["datasource"]!["uid"]));
    }

    [Theory]
    [InlineData("orleansproxy_pair_available")]
    [InlineData("orleansproxy_pair_member_active")]
    [InlineData("orleansproxy_pair_member_state")]
    [InlineData("orleansproxy_pair_switchovers_total")]
    [InlineData("orleansproxy_pair_member_probe_rtt_seconds")]
    [InlineData("orleansproxy_pair_member_probe_failures")]
    [InlineData("orleansproxy_pair_requests_held_total")]
    [InlineData("orleansproxy_pair_requests_released_total")]
    [InlineData("orleansproxy_pair_requests_expired_total")]
    [InlineData("orleansproxy_pair_requests_hold_duration_seconds_bucket")]
    [InlineData("orleansproxy_sip_requests_forwarded_total")]
    [InlineData("orleansproxy_sip_requests_answered_total")]
    [InlineData("orleansproxy_sip_transactions_rejected_total")]
    [InlineData("orleansproxy_sip_messages_dropped_total")]
    [InlineData("orleansproxy_sip_transactions")]
    [InlineData("orleansproxy_sip_transactions_capacity")]
    [InlineData("orleansproxy_sip_transactions_lingering")]
    [InlineData("orleansproxy_sip_connections_open")]
    [InlineData("orleansproxy_sip_connections_opened_total")]
    [InlineData("orleansproxy_sip_connections_closed_total")]
    [InlineData("orleansproxy_sip_connections_refused_total")]
    [InlineData("process_cpu_seconds_total")]
    [InlineData("process_working_set_bytes")]
    public void Dashboard_Panels_QueryTheMetric(string metric)
    {
        Assert.Contains(metric, DashboardMetricNames());
    }

    [Fact]
    public void Dashboard_Panels_EachHasATitleAndAnUnusedId()
    {
        var panels = LoadDashboard()["panels"]!.AsArray();

        Assert.All(panels, panel => Assert.False(string.IsNullOrWhiteSpace((string?)panel!["title"])));
        Assert.Equal(panels.Count, panels.Select(panel => (int)panel!["id"]!).Distinct().Count());
    }

    [Fact]
    public void Rules_Parsed_ExpectedGroupsAndAlerts()
    {
        var groups = RuleGroups(LoadYaml(RulesFile));

        Assert.Equal(["orleans-proxy.pairs", "orleans-proxy.overload"], groups.Select(g => Scalar(g, "name")));
        var rules = groups.SelectMany(g => ((YamlSequenceNode)g.Children[new YamlScalarNode("rules")]).Children.Cast<YamlMappingNode>()).ToList();
        Assert.Equal(ExpectedAlerts, rules.Select(r => Scalar(r, "alert")));
        Assert.All(rules, rule =>
        {
            Assert.False(string.IsNullOrWhiteSpace(Scalar(rule, "expr")));
            Assert.Matches("^(warning|critical)$", Scalar((YamlMappingNode)rule.Children[new YamlScalarNode("labels")], "severity"));
            Assert.False(string.IsNullOrWhiteSpace(Scalar((YamlMappingNode)rule.Children[new YamlScalarNode("annotations")], "summary")));
        });
    }

    [Fact]
    public void Rules_PairUnavailable_FiresOnlyAfterTheDefaultHold()
    {
        var rule = RuleGroups(LoadYaml(RulesFile))
            .SelectMany(g => ((YamlSequenceNode)g.Children[new YamlScalarNode("rules")]).Children.Cast<YamlMappingNode>())
            .Single(r => Scalar(r, "alert") == "OrleansProxyPairUnavailable");

        Assert.Equal("orleansproxy_pair_available == 0", Scalar(rule, "expr"));
        Assert.Equal("10s", Scalar(rule, "for"));
        Assert.True(OrleansProxy.Silo.Configuration.HoldSettings.Default.Time < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Chart_RulesFile_IsThePlainRulesFile()
    {
        var inChart = Path.Combine(Chart, "rules", "orleans-proxy-rules.yaml");

        Assert.Equal("../../../prometheus/orleans-proxy-rules.yaml", new FileInfo(inChart).LinkTarget);
        Assert.Equal(File.ReadAllText(RulesFile), File.ReadAllText(inChart));
    }

    [Fact]
    public void PrometheusRuleTemplate_DefaultValues_RendersNothing()
    {
        var template = File.ReadAllLines(Path.Combine(Chart, "templates", "prometheusrule.yaml"));
        var values = LoadYaml(Path.Combine(Chart, "values.yaml"));

        Assert.Equal("false", Scalar((YamlMappingNode)values.Children[new YamlScalarNode("prometheusRule")], "enabled"));
        Assert.Equal("{{- if .Values.prometheusRule.enabled }}", template[0]);
        Assert.Equal("{{- end }}", template[^1]);
        Assert.DoesNotContain(template[1..^1], line => line.StartsWith("{{- end", StringComparison.Ordinal));
    }

    [Fact]
    public void PrometheusRuleTemplate_Enabled_RendersThePlainRulesAsItsSpec()
    {
        var rendered = RenderEnabled(File.ReadAllText(Path.Combine(Chart, "templates", "prometheusrule.yaml")));

        var rule = LoadYamlText(rendered);
        Assert.Equal("monitoring.coreos.com/v1", Scalar(rule, "apiVersion"));
        Assert.Equal("PrometheusRule", Scalar(rule, "kind"));
        Assert.Equal("release-orleans-proxy", Scalar((YamlMappingNode)rule.Children[new YamlScalarNode("metadata")], "name"));
        var spec = (YamlMappingNode)rule.Children[new YamlScalarNode("spec")];
        var expected = RuleGroups(LoadYaml(RulesFile));
        var groups = RuleGroups(spec);
        Assert.Equal(expected.Select(g => g.ToString()), groups.Select(g => g.ToString()));
        Assert.Contains("{{ $labels.pair }}", rendered, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Promtool_RulesAndDashboardQueries_Valid()
    {
        Skip.IfNot(IsOnPath("promtool"), "promtool is not installed (Debian package prometheus).");
        using var directory = new TempDirectory();

        // Each dashboard query as a recording rule, Grafana's variables given values, so that promtool parses it.
        var queries = new JsonArray([.. DashboardExpressions().Select((expr, i) => (JsonNode)new JsonObject
        {
            ["record"] = $"dashboard:query_{i}",
            ["expr"] = expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$pair", ".*", StringComparison.Ordinal).Replace("$instance", ".*", StringComparison.Ordinal),
        })]);
        var dashboardRules = directory.Write("dashboard-queries.yaml", new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "dashboard", ["rules"] = queries }),
        }.ToJsonString());

        var (exitCode, output) = await RunAsync("promtool", "check", "rules", RulesFile, dashboardRules);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {ExpectedAlerts.Length} rules found", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Promtool_RuleUnitTests_Pass()
    {
        Skip.IfNot(IsOnPath("promtool"), "promtool is not installed (Debian package prometheus).");

        var (exitCode, output) = await RunAsync("promtool", "test", "rules", RepositoryFiles.PathOf("deploy", "prometheus", "orleans-proxy-rules.test.yaml"));

        Assert.True(exitCode == 0, output);
    }

    /// <summary>Every metric the dashboard's queries and the rules' expressions name (a histogram's series as named).</summary>
    internal static IReadOnlySet<string> MetricNamesUsed() =>
        DashboardMetricNames().Union(RuleExpressions().SelectMany(MetricNames)).ToHashSet(StringComparer.Ordinal);

    internal static IEnumerable<string> MetricNames(string expression) =>
        MetricName().Matches(expression).Select(m => m.Value);

    private static HashSet<string> DashboardMetricNames() => DashboardExpressions().SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> DashboardExpressions()
    {
        var dashboard = LoadDashboard();
        var annotations = dashboard["annotations"]!["list"]!.AsArray().Select(a => (string?)a!["expr"]).OfType<string>();
        var variables = dashboard["templating"]!["list"]!.AsArray().Select(v => (string?)v!["definition"]).OfType<string>()
            .Select(definition => LabelValuesSelector().Match(definition).Groups[1].Value);
        return Targets(dashboard).Select(t => (string)t["expr"]!).Concat(annotations).Concat(variables);
    }

    private static IEnumerable<string> RuleExpressions() =>
        RuleGroups(LoadYaml(RulesFile))
            .SelectMany(g => ((YamlSequenceNode)g.Children[new YamlScalarNode("rules")]).Children.Cast<YamlMappingNode>())
            .Select(r => Scalar(r, "expr"));

    private static IEnumerable<JsonNode> Targets(JsonNode dashboard) =>
        dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]?.AsArray() ?? []).Select(t => t!);

    private static JsonNode LoadDashboard() => JsonNode.Parse(File.ReadAllText(DashboardFile))!;

    // The template with prometheusRule.enabled: the if and end lines dropped, the comment, include and with lines
    // as Helm would render them for a release "release" without extra labels, and .Files.Get as the file, indented.
    private static string RenderEnabled(string template)
    {
        var rules = File.ReadAllText(Path.Combine(Chart, "rules", "orleans-proxy-rules.yaml"));
        var body = TemplateComment().Replace(template, string.Empty);
        var lines = new List<string>();
        foreach (var line in body.Split('\n'))
        {
            if (line.Contains(".Files.Get \"rules/orleans-proxy-rules.yaml\" | indent 2", StringComparison.Ordinal))
            {
                lines.AddRange(rules.TrimEnd('\n').Split('\n').Select(rule => rule.Length == 0 ? rule : "  " + rule));
            }
            else if (line.Contains("include \"orleans-proxy.fullname\"", StringComparison.Ordinal))
            {
                lines.Add(line.Replace("{{ include \"orleans-proxy.fullname\" . }}", "release-orleans-proxy", StringComparison.Ordinal));
            }
            else if (line.Contains("include \"orleans-proxy.labels\"", StringComparison.Ordinal))
            {
                lines.Add("    app.kubernetes.io/name: orleans-proxy");
            }
            else if (!ActionOnly().IsMatch(line))
            {
                lines.Add(line);
            }
        }

        return string.Join('\n', lines);
    }

    private static List<YamlMappingNode> RuleGroups(YamlMappingNode root) =>
        [.. ((YamlSequenceNode)root.Children[new YamlScalarNode("groups")]).Children.Cast<YamlMappingNode>()];

    private static YamlMappingNode LoadYaml(string path) => LoadYamlText(File.ReadAllText(path));

    private static YamlMappingNode LoadYamlText(string text)
    {
        using var reader = new StringReader(text);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    private static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"\b(?:orleansproxy|process|dotnet)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^label_values\((.+),\s*[a-z_]+\)$")]
    private static partial Regex LabelValuesSelector();

    [GeneratedRegex(@"\{\{-? /\*.*?\*/ ?-?\}\}\n?", RegexOptions.Singleline)]
    private static partial Regex TemplateComment();

    [GeneratedRegex(@"^\s*\{\{.*\}\}\s*$")]
    private static partial Regex ActionOnly();
}
