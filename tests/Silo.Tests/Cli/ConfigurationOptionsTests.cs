using System.CommandLine;
using OrleansProxy.Silo.Cli;

namespace OrleansProxy.Silo.Tests.Cli;

/// <summary>What the command line hands the configuration loader: files, --log-format as its key, then every override as typed.</summary>
public sealed class ConfigurationOptionsTests
{
    [Theory]
    [InlineData(new[] { "--log-format", "json" }, new[] { "--Proxy:Admin:LogFormat=json" })]
    [InlineData(new[] { "--log-format=text", "--config", "a.json" }, new[] { "--config", "a.json", "--Proxy:Admin:LogFormat=text" })]
    [InlineData(new[] { "--Proxy:Admin:LogFormat=json" }, new[] { "--Proxy:Admin:LogFormat=json" })]
    [InlineData(new[] { "--Proxy:Mode", "stateless", "--config=a.json", "--config", "b.json" }, new[] { "--config", "a.json", "--config", "b.json", "--Proxy:Mode", "stateless" })]
    public void Arguments_NodeVerb_FilesThenLogFormatThenOverrides(string[] args, string[] expected)
    {
        var command = new Command("run");
        var options = ConfigurationOptions.ForNode(command);

        var parseResult = command.Parse(args);

        Assert.Empty(parseResult.Errors);
        Assert.Equal(expected, options.Arguments(parseResult, parseResult.UnmatchedTokens));
    }
}
