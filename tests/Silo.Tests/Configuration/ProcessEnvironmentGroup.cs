namespace OrleansProxy.Silo.Tests.Configuration;

/// <summary>
/// Tests that set process environment variables: every configuration load in the process
/// reads them, so these run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentGroup
{
    public const string Name = "Process environment variables";
}
