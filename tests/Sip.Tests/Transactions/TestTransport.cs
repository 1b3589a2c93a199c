using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Tests.Support;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transactions;

/// <summary>A UDP-like transport that keeps what is sent, and fails sends to the destinations it is told are unreachable.</summary>
internal sealed class TestTransport : ISipTransport
{
    private readonly ConcurrentQueue<(string Text, IPEndPoint Destination)> sent = new();

    public ConcurrentDictionary<IPEndPoint, bool> Unreachable { get; } = new();

    /// <summary>Called when a send to an unreachable destination fails, as a stream transport reports its broken connection.</summary>
    public Action<IPEndPoint>? OnSendFailed { get; set; }

    /// <summary>Called after each send is kept, for a test that waits on a send made off its own thread.</summary>
    public Action<string, IPEndPoint>? OnSent { get; set; }

    public LocalHop Hop => Hops.Proxy;

    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (Unreachable.ContainsKey(destination))
        {
            OnSendFailed?.Invoke(destination);
            return ValueTask.FromResult(false);
        }

        var text = SipText.Text(message.Span);
        sent.Enqueue((text, destination));
        OnSent?.Invoke(text, destination);
        return ValueTask.FromResult(true);
    }

    /// <summary>Everything sent so far, oldest first, and forgets it.</summary>
    public List<(string Text, IPEndPoint Destination)> Take()
    {
        var taken = new List<(string Text, IPEndPoint Destination)>();
        while (sent.TryDequeue(out var item))
        {
            taken.Add(item);
        }

        return taken;
    }

    /// <summary>First lines of everything sent so far, with destinations, and forgets it.</summary>
    public List<string> TakeLines()
    {
        var lines = new List<string>();
        foreach (var (text, destination) in Take())
        {
            lines.Add($"{Messages.FirstLine(text)} -> {destination.Port}");
        }

        return lines;
    }
}
