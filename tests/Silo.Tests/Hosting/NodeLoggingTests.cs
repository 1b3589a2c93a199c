using OrleansProxy.Silo.Hosting;

namespace OrleansProxy.Silo.Tests.Hosting;

public sealed class NodeLoggingTests
{
    [Theory]
    [InlineData(new[] { "--log-format", "json" }, new[] { "--Proxy:Admin:LogFormat=json" })]
    [InlineData(new[] { "--log-format=text", "--config", "a.json" }, new[] { "--Proxy:Admin:LogFormat=text", "--config", "a.json" })]
    [InlineData(new[] { "--Proxy:Admin:LogFormat=json" }, new[] { "--Proxy:Admin:LogFormat=json" })]
    public void TranslateOptions_LogFormatOption_BecomesTheConfigurationKey(string[] args, string[] expected)
    {
        Assert.Equal(expected, NodeLogging.TranslateOptions(args));
    }
}
