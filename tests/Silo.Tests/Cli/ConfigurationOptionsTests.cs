using System.CommandLine;
using OrleansProxy.Silo.Cli;

namespace OrleansProxy.Silo.Tests.Cli;

/// <summary>What the command line hands the configuration loader: the files, then --log-format as its key and every override as typed.</summary>
public sealed class ConfigurationOptionsTests
{
    [Theory]
    [InlineData(new[] { "--log-format", "json" }, new string[0], new[] { "--Proxy:Admin:LogFormat=json" })]
    [InlineData(new[] { "--log-format=text", "--config", "a.json" }, new[] { "a.json" }, new[] { "--Proxy:Admin:LogFormat=text" })]
    [InlineData(new[] { "--Proxy:Admin:LogFormat=json" }, new string[0], new[] { "--Proxy:Admin:LogFormat=json" })]
    [InlineData(new[] { "--Proxy:Mode", "stateless", "--config=a.json", "--config", "b.json" }, new[] { "a.json", "b.json" }, new[] { "--Proxy:Mode", "stateless" })]
    public void Sources_NodeVerb_FilesAsFullPathsThenLogFormatThenOverrides(string[] args, string[] files, string[] overrides)
    {
        var command = new Command("run");
        var options = ConfigurationOptions.ForNode(command);

        var parseResult = command.Parse(args);

        Assert.Empty(parseResult.Errors);
        var sources = options.Sources(parseResult, parseResult.UnmatchedTokens);
        Assert.Equal(files.Select(Path.GetFullPath), sources.Files);
        Assert.Equal(overrides, sources.Overrides);
    }
}
