namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Overload": how much new work a node takes before it refuses the excess (see <see cref="Sip.Overload.OverloadLimits"/>).</summary>
internal sealed class OverloadOptions
{
    /// <summary>New INVITEs admitted per second; 0 = no cap.</summary>
    public int InvitesPerSecond { get; set; }

    /// <summary>Retry-After on the 503 of the INVITE cap.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Messages a second one source address may send before it is blocked; 0 = no limit.</summary>
    public int PerSourceMessagesPerSecond { get; set; }

    /// <summary>How long a source over its rate stays blocked.</summary>
    public int SourceBlockSeconds { get; set; } = 10;

    /// <summary>Source addresses followed at once.</summary>
    public int TrackedSources { get; set; } = 65_536;

    /// <summary>CIDRs whose sources are never limited by their rate, besides pair members and Proxy:Routing:TrustedNetworks.</summary>
    public IList<string> ExemptNetworks { get; } = [];
}
