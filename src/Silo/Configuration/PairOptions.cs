namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// One entry of "Proxy:Pairs". Members are "[udp|tcp|tls://]host:port"; no prefix is udp, the port defaults to 5060
/// (5061 for tls).
/// </summary>
internal sealed class PairOptions : ISectionOptions
{
    public string? Name { get; set; }

    public string? Primary { get; set; }

    public string? Backup { get; set; }

    /// <summary>The site the pair serves; user agents reach only their own site's pairs unless a rule says otherwise.</summary>
    public string? Site { get; set; }

    /// <summary>The "Proxy:Listen" entry requests to the pair leave from (a dual-homed node's interface towards it); none lets the route table choose.</summary>
    public string? Egress { get; set; }

    /// <summary>What an entry of "Proxy:Pairs" given as one value should have been.</summary>
    public static string Shape(string entry) => $"a pair: set {entry}:{nameof(Name)}, {entry}:{nameof(Primary)} and {entry}:{nameof(Backup)}";

    public void ReadFrom(SectionReader section)
    {
        Name = section.Text(nameof(Name));
        Primary = section.Text(nameof(Primary));
        Backup = section.Text(nameof(Backup));
        Site = section.Text(nameof(Site));
        Egress = section.Text(nameof(Egress));
    }
}
