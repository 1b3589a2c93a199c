using System.Collections.Immutable;
using System.Net;

namespace OrleansProxy.Sip.Overload;

/// <summary>
/// How much new work the proxy takes before it refuses it cheaply (the ideas of RFC 6357 and RFC 7339): refusing
/// the excess before any transaction exists keeps the admitted calls fast instead of making every call slow.
/// </summary>
public sealed record OverloadLimits
{
    /// <summary>Every limit off: every message is taken.</summary>
    public static OverloadLimits Off { get; } = new() { MaxQueueDelay = TimeSpan.Zero };

    /// <summary>
    /// New (out-of-dialog) INVITEs admitted per second over all sources; past it they get 503 with Retry-After before
    /// any transaction state is made. In-dialog requests, ACK and CANCEL are never refused: they end calls. 0 = no cap.
    /// </summary>
    public int InvitesPerSecond { get; init; }

    /// <summary>
    /// How long datagrams may stand in the node's UDP receive queue, the least wait of 100 ms
    /// (<see cref="Transport.ReceiveQueueDelay"/>), before new INVITEs get 503 with Retry-After: past it the node is behind
    /// whatever its CPU, and refusing new calls cheaply lets it catch up on the calls it holds. Zero = off.
    /// </summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.FromMilliseconds(DefaultMaxQueueDelayMs);

    /// <summary>
    /// A queue that stood this long for a whole interval is a node behind its work; well under T1 (500 ms), so an
    /// admitted call's INVITE and its answer pass before either is retransmitted.
    /// </summary>
    public const int DefaultMaxQueueDelayMs = 50;

    /// <summary>Retry-After (seconds) on the 503 of the INVITE cap and of the queue delay.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>
    /// Messages per second (requests, responses and junk alike) one source address may send; past it the source's
    /// messages are dropped unanswered for <see cref="SourceBlockTime"/>, so a flood costs nothing to answer. 0 = no limit.
    /// </summary>
    public int PerSourceMessagesPerSecond { get; init; }

    /// <summary>How long a source over its rate stays blocked.</summary>
    public TimeSpan SourceBlockTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Source addresses followed at once; past it idle ones are forgotten, and while all are busy a new one is not limited.</summary>
    public int TrackedSources { get; init; } = 65_536;

    /// <summary>Sources never limited by their rate (SBCs and gateways that carry many calls behind one address).</summary>
    public ImmutableArray<IPNetwork> ExemptNetworks { get; init; } = [];
}
