namespace OrleansProxy.Grains.Tests.TestCommon;

[CollectionDefinition(Name)]
public sealed class HaPairClusterDefinition : ICollectionFixture<HaPairClusterFixture>
{
    public const string Name = "HA pair cluster";
}
