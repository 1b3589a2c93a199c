namespace OrleansProxy.Silo.Tests.Hosting;

/// <summary>
/// Tests that start heavy child processes (a node, dotnet publish) run one after another, not side by side,
/// so that on a small machine neither starves the other into a time-out.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ExternalProcesses
{
    public const string Name = "external processes";
}
