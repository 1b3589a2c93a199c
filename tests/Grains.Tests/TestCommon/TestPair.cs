namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>A pair registered in the test catalog, with the grain that owns it.</summary>
public sealed record TestPair(string Name, string Primary, string Backup, IHaPairGrain Grain);
