using Microsoft.Extensions.Configuration;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>Builds a <see cref="ProxyConfiguration"/> from a valid baseline plus overrides, without touching files or the environment.</summary>
internal static class TestConfiguration
{
    public static Dictionary<string, string?> Baseline() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Proxy:Listen:0"] = "udp://127.0.0.1:5060",
        ["Proxy:Pairs:0:Name"] = "main",
        ["Proxy:Pairs:0:Primary"] = "127.0.0.1:5070",
        ["Proxy:Pairs:0:Backup"] = "127.0.0.1:5080",
    };

    /// <param name="overrides">Keys to set on top of <see cref="Baseline"/>; a null value removes the key.</param>
    public static ProxyConfiguration With(params (string Key, string? Value)[] overrides)
    {
        var values = Baseline();
        foreach (var (key, value) in overrides)
        {
            if (value is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = value;
            }
        }

        return FromValues(values);
    }

    public static ProxyConfiguration FromValues(IEnumerable<KeyValuePair<string, string?>> values) =>
        ProxyConfiguration.Create(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), []);

    public static IEnumerable<string> Lines(this ProxyConfiguration configuration) =>
        configuration.Faults.Select(f => f.ToString());
}
