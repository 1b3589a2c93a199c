using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansProxy.Silo.Tests.Cli;
using OrleansProxy.Silo.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace OrleansProxy.Silo.Tests.Deploy;

/// <summary>
/// The Helm chart without Helm (not installable here): values and templates agree, and the configuration the
/// default values render into the ConfigMap is one the proxy accepts.
/// </summary>
public sealed partial class HelmChartTests
{
    private static readonly string Chart = RepositoryFiles.PathOf("deploy", "helm", "orleans-proxy");

    [Fact]
    public void ChartYaml_Parsed_NamesTheChartAtApiVersion2()
    {
        var chart = LoadYaml(Path.Combine(Chart, "Chart.yaml"));

        Assert.Equal("v2", Scalar(chart, "apiVersion"));
        Assert.Equal("orleans-proxy", Scalar(chart, "name"));
    }

    [Fact]
    public void Templates_EveryValuesPath_ExistsInValuesYaml()
    {
        var values = LoadYaml(Path.Combine(Chart, "values.yaml"));
        var paths = Directory.EnumerateFiles(Path.Combine(Chart, "templates"))
            .SelectMany(file => ValuesPath().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Path: m.Groups[1].Value)))
            .ToList();

        Assert.NotEmpty(paths);
        Assert.All(paths, used => Assert.True(
            Find(values, used.Path.Split('.', StringSplitOptions.RemoveEmptyEntries)) is not null,
            $"{used.File} uses .Values.{used.Path}, which values.yaml does not have"));
    }

    /// <summary>What a pod loads: the ConfigMap's file, and the listeners as environment variables with the pod's address expanded.</summary>
    [Fact]
    public async Task DefaultValues_ConfigMapAndListenerVariables_CheckConfigAcceptsThem()
    {
        const string PodIp = "10.244.1.7";
        var values = LoadYaml(Path.Combine(Chart, "values.yaml"));
        Assert.Contains("dict \"Proxy\" (omit .Values.proxy \"Listen\") | toPrettyJson", await File.ReadAllTextAsync(Path.Combine(Chart, "templates", "configmap.yaml")), StringComparison.Ordinal);
        var proxy = (JsonObject)ToJson(Find(values, "proxy")!)!;
        var listen = ((JsonArray)proxy["Listen"]!).Select(entry => entry!.GetValue<string>()).ToList();
        proxy.Remove("Listen");
        using var directory = new TempDirectory();
        var file = directory.Write("proxy.json", new JsonObject { ["Proxy"] = proxy }.ToJsonString());
        string[] overrides = [.. listen.Select((entry, i) => $"--Proxy:Listen:{i}={entry.Replace("$(POD_IP)", PodIp, StringComparison.Ordinal)}")];

        var (exitCode, output, error) = await CliCommandTests.RunAsync(["check-config", file, .. overrides]);

        Assert.True(exitCode == ExitCodes.Success, output + error);
        Assert.Contains($"listening on udp://0.0.0.0:5060;advertise={PodIp}, tcp://0.0.0.0:5060;advertise={PodIp}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Workload_Listeners_AreVariablesAfterThePodsAddress()
    {
        var workload = File.ReadAllText(Path.Combine(Chart, "templates", "workload.yaml"));

        Assert.Matches(@"- name: POD_IP\s+valueFrom:\s+fieldRef:\s+fieldPath: status\.podIP\s+\{\{- range \$index, \$listen := \.Values\.proxy\.Listen \}\}\s+- name: Proxy__Listen__\{\{ \$index \}\}\s+value: \{\{ \$listen \| quote \}\}", workload);
    }

    [Fact]
    public void DefaultValues_Ports_MatchTheProxyConfiguration()
    {
        var values = LoadYaml(Path.Combine(Chart, "values.yaml"));
        var listen = new Uri(Scalar(Find(values, "proxy", "Listen")!, 0).Split(';')[0]);
        var admin = new Uri(Scalar(Find(values, "proxy", "Admin")!, "Url"));

        Assert.Equal(Scalar(Find(values, "sip")!, "port"), listen.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Scalar(Find(values, "admin")!, "port"), admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Workload_ProbesAndSecurityContext_AsKubernetesExpects()
    {
        var workload = File.ReadAllText(Path.Combine(Chart, "templates", "workload.yaml"));

        Assert.Matches(@"livenessProbe:\s+httpGet:\s+path: /healthz", workload);
        Assert.Matches(@"readinessProbe:\s+httpGet:\s+path: /readyz", workload);
        Assert.Contains("runAsNonRoot: true", workload, StringComparison.Ordinal);
        Assert.Contains("readOnlyRootFilesystem: true", workload, StringComparison.Ordinal);
        Assert.Matches(@"if lt \(int \.Values\.sip\.port\) 1024 \}\}\s+add: \[""NET_BIND_SERVICE""\]", workload);
        Assert.Contains("hostNetwork: {{ .Values.hostNetwork }}", workload, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_Headless_WithANamedSipPortForSrvRecords()
    {
        var service = File.ReadAllText(Path.Combine(Chart, "templates", "service.yaml"));

        Assert.Contains("clusterIP: None", service, StringComparison.Ordinal);
        Assert.Contains("- name: {{ .Values.sip.portName }}", service, StringComparison.Ordinal);
        Assert.Matches(@"- name: \{\{ \.Values\.sip\.portName \}\}-tcp\s+port: \{\{ \.Values\.sip\.port \}\}\s+targetPort: [^\n]+\s+protocol: TCP", service);
    }

    [Fact]
    public void TlsSecret_MountedWhereTheValuesCommentPointsProxyTls()
    {
        var workload = File.ReadAllText(Path.Combine(Chart, "templates", "workload.yaml"));
        var values = File.ReadAllText(Path.Combine(Chart, "values.yaml"));

        Assert.Matches(@"secret:\s+secretName: \{\{ \.Values\.tls\.secretName \}\}", workload);
        Assert.Contains("mountPath: /etc/orleans-proxy/tls", workload, StringComparison.Ordinal);
        Assert.Contains("Certificate: /etc/orleans-proxy/tls/tls.crt, PrivateKey: /etc/orleans-proxy/tls/tls.key", values, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesPath();

    private static YamlMappingNode LoadYaml(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode? Find(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)Find(node, key)!).Value!;

    private static string Scalar(YamlNode node, int index) => ((YamlScalarNode)((YamlSequenceNode)node).Children[index]).Value!;

    // Every scalar as a string: .NET configuration reads every value as text anyway.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(
            pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new JsonException($"unexpected YAML node {node.NodeType}"),
    };
}
