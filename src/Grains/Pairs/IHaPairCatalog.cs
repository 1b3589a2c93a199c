namespace OrleansProxy.Grains.Pairs;

/// <summary>The configured pairs; the host builds it from configuration, tests build it by hand.</summary>
public interface IHaPairCatalog
{
    IReadOnlyList<HaPairSettings> Pairs { get; }

    HaPairSettings? Find(string name);
}
