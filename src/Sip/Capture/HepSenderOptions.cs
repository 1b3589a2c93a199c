using System.Net;

namespace OrleansProxy.Sip.Capture;

/// <summary>Where and how a <see cref="HepSender"/> sends what it captures.</summary>
public sealed class HepSenderOptions
{
    public const int DefaultQueueSize = 10_000;

    /// <summary>The collector's UDP address (a Homer heplify-server, or anything that takes HEP v3).</summary>
    public required IPEndPoint Collector { get; init; }

    /// <summary>Names this node to the collector (HEP capture agent id).</summary>
    public uint CaptureId { get; init; }

    /// <summary>Messages that may wait for the sender; past it new ones are dropped and counted, the SIP path never waits.</summary>
    public int QueueSize { get; init; } = DefaultQueueSize;
}
