namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Shutdown": what happens between SIGTERM and the process exit.</summary>
internal sealed class ShutdownOptions
{
    /// <summary>How long transactions in flight may take to finish once new ones are refused.</summary>
    public int DrainMs { get; set; } = 5000;
}
