using System.Collections.Concurrent;
using System.Net;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Capture;

/// <summary>Keeps a copy of everything a transport reports, in order.</summary>
internal sealed class RecordingCapture : ISipCapture
{
    public ConcurrentQueue<Captured> Messages { get; } = new();

    /// <summary>What was reported once <paramref name="count"/> messages were; fails after 10 s.</summary>
    public async Task<Captured[]> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Messages.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Messages.Count} of {count} messages reported within 10 s");
            await Task.Delay(5);
        }

        return [.. Messages];
    }

    public void OnReceived(ReadOnlySpan<byte> message, SipTransportKind transport, IPEndPoint local, IPEndPoint remote) =>
        Messages.Enqueue(new Captured(false, Support.SipText.Text(message), transport, local, remote));

    public void OnSent(ReadOnlySpan<byte> message, SipTransportKind transport, IPEndPoint local, IPEndPoint remote) =>
        Messages.Enqueue(new Captured(true, Support.SipText.Text(message), transport, local, remote));

    internal sealed record Captured(bool Sent, string Text, SipTransportKind Transport, IPEndPoint Local, IPEndPoint Remote);
}
