namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Connections": how TCP and TLS connections are bounded; each value is checked against its range as it is read.</summary>
internal sealed class ConnectionOptions : ISectionOptions
{
    /// <summary>A connection with no traffic for this long is closed.</summary>
    public int IdleTimeoutMs { get; set; } = (int)StreamSettings.Default.IdleTimeout.TotalMilliseconds;

    /// <summary>How long a connection to a server may take to open.</summary>
    public int ConnectTimeoutMs { get; set; } = (int)StreamSettings.Default.ConnectTimeout.TotalMilliseconds;

    public int MaxConnections { get; set; } = StreamSettings.Default.MaxConnections;

    /// <summary>The most connections one peer address may hold at once.</summary>
    public int MaxPerPeer { get; set; } = StreamSettings.Default.MaxConnectionsPerPeer;

    public void ReadFrom(SectionReader section)
    {
        IdleTimeoutMs = section.Int(nameof(IdleTimeoutMs), IdleTimeoutMs, 1_000, 86_400_000);
        ConnectTimeoutMs = section.Int(nameof(ConnectTimeoutMs), ConnectTimeoutMs, 50, 60_000);
        MaxConnections = section.Int(nameof(MaxConnections), MaxConnections, 1, 1_000_000);
        MaxPerPeer = section.Int(nameof(MaxPerPeer), MaxPerPeer, 1, 1_000_000);
    }

    public void Validate(SectionFaults section)
    {
        if (MaxPerPeer > MaxConnections)
        {
            section.Add(nameof(MaxPerPeer), $"{MaxPerPeer} is more than {section.Key(nameof(MaxConnections))} ({MaxConnections})");
        }
    }
}
