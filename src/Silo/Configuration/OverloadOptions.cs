using OrleansProxy.Sip.Overload;

namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Overload": how much new work a node takes before it refuses the excess (see <see cref="OverloadLimits"/>).</summary>
internal sealed class OverloadOptions : ISectionOptions
{
    /// <summary>New INVITEs admitted per second; 0 = no cap.</summary>
    /// <summary>Far above what one node can handle: a cap is a rate it can reach.</summary>
    public const int MaxRate = 1_000_000;

    /// <summary>Each followed source costs a few dozen bytes.</summary>
    public const int MaxTrackedSources = 1_048_576;

    /// <summary>A queue longer than T1's 500 ms has every sender retransmitting already; a limit past a minute is no limit.</summary>
    public const int MaxQueueDelayLimitMs = 60_000;

    /// <summary>The longest Retry-After and block: an hour.</summary>
    public const int MaxSeconds = 3600;

    public int InvitesPerSecond { get; set; }

    /// <summary>Receive queue delay past which new INVITEs get 503; 0 = off.</summary>
    public int MaxQueueDelayMs { get; set; } = OverloadLimits.DefaultMaxQueueDelayMs;

    /// <summary>Retry-After on the 503 of the INVITE cap and of the queue delay.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Messages a second one source address may send before it is blocked; 0 = no limit.</summary>
    public int PerSourceMessagesPerSecond { get; set; }

    /// <summary>How long a source over its rate stays blocked.</summary>
    public int SourceBlockSeconds { get; set; } = 10;

    /// <summary>Source addresses followed at once.</summary>
    public int TrackedSources { get; set; } = 65_536;

    /// <summary>CIDRs whose sources are never limited by their rate, besides pair members and Proxy:Routing:TrustedNetworks.</summary>
    public IList<string> ExemptNetworks { get; private set; } = [];

    public void ReadFrom(SectionReader section)
    {
        InvitesPerSecond = section.Int(nameof(InvitesPerSecond), InvitesPerSecond);
        MaxQueueDelayMs = section.Int(nameof(MaxQueueDelayMs), MaxQueueDelayMs);
        RetryAfterSeconds = section.Int(nameof(RetryAfterSeconds), RetryAfterSeconds);
        PerSourceMessagesPerSecond = section.Int(nameof(PerSourceMessagesPerSecond), PerSourceMessagesPerSecond);
        SourceBlockSeconds = section.Int(nameof(SourceBlockSeconds), SourceBlockSeconds);
        TrackedSources = section.Int(nameof(TrackedSources), TrackedSources);
        ExemptNetworks = section.Texts(nameof(ExemptNetworks));
    }


    public OverloadLimits Validate(SectionFaults section)
    {
        section.InRange(InvitesPerSecond, nameof(InvitesPerSecond), 0, MaxRate);
        section.InRange(MaxQueueDelayMs, nameof(MaxQueueDelayMs), 0, MaxQueueDelayLimitMs);
        section.InRange(RetryAfterSeconds, nameof(RetryAfterSeconds), 1, MaxSeconds);
        section.InRange(PerSourceMessagesPerSecond, nameof(PerSourceMessagesPerSecond), 0, MaxRate);
        section.InRange(SourceBlockSeconds, nameof(SourceBlockSeconds), 1, MaxSeconds);
        section.InRange(TrackedSources, nameof(TrackedSources), 1, MaxTrackedSources);
        return new OverloadLimits
        {
            InvitesPerSecond = InvitesPerSecond,
            MaxQueueDelay = TimeSpan.FromMilliseconds(MaxQueueDelayMs),
            RetryAfterSeconds = RetryAfterSeconds,
            PerSourceMessagesPerSecond = PerSourceMessagesPerSecond,
            SourceBlockTime = TimeSpan.FromSeconds(SourceBlockSeconds),
            TrackedSources = TrackedSources,
            ExemptNetworks = NetworkList.Validate(ExemptNetworks, section.Child(nameof(ExemptNetworks))),
        };
    }
}
