using System.Net;
using System.Threading.Channels;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>Keeps every message a transport hands over, to be awaited in order; optionally answers requests with a status.</summary>
internal sealed class ChannelHandler(int answerRequestsWith = 0) : ISipMessageHandler
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Channel<Received> received = Channel.CreateUnbounded<Received>();

    /// <summary>How many messages were handed over and not yet taken with <see cref="NextAsync"/>.</summary>
    public int Waiting => received.Reader.Count;

    public async ValueTask HandleAsync(ReadOnlyMemory<byte> data, IPEndPoint source, ISipTransport transport, CancellationToken cancellationToken)
    {
        var text = SipText.Text(data.Span);
        if (answerRequestsWith != 0 && !text.StartsWith("SIP/2.0 ", StringComparison.Ordinal))
        {
            var request = new SipMessage();
            SipParser.TryParse(data, request, SipParseLimits.Default);
            using var response = ResponseFactory.Create(request, ProductName.None, answerRequestsWith, "Answered");
            await transport.SendAsync(response.Memory, source, cancellationToken);
        }

        received.Writer.TryWrite(new Received(text, source));
    }

    /// <summary>The next message handed over; fails after 10 s.</summary>
    public async Task<Received> NextAsync() => await received.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public sealed record Received(string Text, IPEndPoint Source);
}
