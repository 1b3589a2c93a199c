namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Cluster": the node's own localhost silo.</summary>
internal sealed class LocalSiloOptions : ISectionOptions
{
    /// <summary>Silo-to-silo port; two proxy instances on one machine need different ports.</summary>
    public int SiloPort { get; set; } = 11111;

    public void ReadFrom(SectionReader section)
    {
        SiloPort = section.Int(nameof(SiloPort), SiloPort);
    }


    /// <param name="adminUrl">"Proxy:Admin:Url" when it is sound, whose port the silo must not share.</param>
    /// <param name="adminUrlKey">Its full key.</param>
    public void Validate(SectionFaults section, Uri? adminUrl, string adminUrlKey)
    {
        if (section.InRange(SiloPort, nameof(SiloPort), System.Net.IPEndPoint.MinPort + 1, System.Net.IPEndPoint.MaxPort) && adminUrl?.Port == SiloPort)
        {
            section.Add(nameof(SiloPort), $"{SectionFaults.Number(SiloPort)} is also the port of {adminUrlKey}");
        }
    }
}
