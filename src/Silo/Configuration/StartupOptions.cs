namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Startup": what the node does before it reports ready.</summary>
internal sealed class StartupOptions : ISectionOptions
{
    /// <summary>Run synthetic calls through the proxy core before the listeners take traffic (bench/README.md, "Cold start").</summary>
    public bool WarmUp { get; set; }

    public void ReadFrom(SectionReader section)
    {
        WarmUp = section.Bool(nameof(WarmUp), WarmUp);
    }
}
