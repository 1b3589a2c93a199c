using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Configuration;

public sealed class ConfiguredPairCatalogTests
{
    private static readonly ConfiguredPairCatalog Catalog = new(TestConfiguration.With(
        ("Proxy:Pairs:1:Name", "east"),
        ("Proxy:Pairs:1:Primary", "10.0.1.1"),
        ("Proxy:Pairs:1:Backup", "10.0.1.2"),
        ("Proxy:Probe:FailuresToDown", "3")).Settings!);

    [Fact]
    public void Pairs_InConfiguredOrder_WithProbeSettings()
    {
        Assert.Equal(["main", "east"], Catalog.Pairs.Select(p => p.Name));
        Assert.All(Catalog.Pairs, p => Assert.Equal(3, p.Probe.FailuresToDown));
        Assert.All(Catalog.Pairs, p => Assert.Equal(TimeSpan.FromMinutes(1), p.Probe.KeepAlivePeriod));
    }

    [Fact]
    public void Find_ExactName_ReturnsNormalisedMembers()
    {
        var east = Catalog.Find("east");

        Assert.NotNull(east);
        Assert.Equal(("10.0.1.1:5060", "10.0.1.2:5060"), (east.Primary, east.Backup));
    }

    [Theory]
    [InlineData("west")]
    [InlineData("EAST")]
    public void Find_NotExactlyAConfiguredName_ReturnsNull(string name)
    {
        Assert.Null(Catalog.Find(name));
    }
}
