using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Proxy;

/// <summary>Requests of one dialog leave in the order they came even when the resolver answers the later one first.</summary>
public sealed class DialogOrderTests : IDisposable
{
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 6000);

    private readonly HeldResolver resolver = new();
    private readonly RecordingTransport transport = new();
    private readonly SipMetrics metrics = new();

    public void Dispose() => metrics.Dispose();

    [Fact]
    public async Task ByeRightBehindItsAck_WaitsForTheAckToLeave()
    {
        var proxy = new StatelessProxy(Hops.Identity, resolver, new ProxyCoreOptions(), metrics, NullLogger<StatelessProxy>.Instance);
        resolver.HoldNext();

        var ack = proxy.HandleAsync(SipText.Wire(InDialog("ACK", 1, "dialog-1")), Caller, transport, CancellationToken.None).AsTask();
        var bye = proxy.HandleAsync(SipText.Wire(InDialog("BYE", 2, "dialog-1")), Caller, transport, CancellationToken.None).AsTask();
        var otherDialog = proxy.HandleAsync(SipText.Wire(InDialog("BYE", 2, "dialog-2")), Caller, transport, CancellationToken.None).AsTask();
        await otherDialog.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(bye.IsCompleted);

        resolver.Release();
        await Task.WhenAll(ack, bye).WaitAsync(TimeSpan.FromSeconds(10));

        var sent = transport.Sent.Select(item => item.Text.Split('\n')[0]).ToArray();
        Assert.Equal(["BYE sip:service@127.0.0.1:5070 SIP/2.0", "ACK sip:service@127.0.0.1:5070 SIP/2.0", "BYE sip:service@127.0.0.1:5070 SIP/2.0"], sent);
        Assert.Contains("Call-ID: dialog-2", transport.Sent.First().Text, StringComparison.Ordinal);
    }

    private static string InDialog(string method, int sequence, string callId) =>
        $"{method} sip:service@127.0.0.1:5070 SIP/2.0\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK{callId}{method}\n" +
        "Max-Forwards: 70\n" +
        "To: <sip:service@127.0.0.1:5060>;tag=srv1\n" +
        "From: <sip:alice@127.0.0.1:6000>;tag=1928301774\n" +
        $"Call-ID: {callId}\n" +
        $"CSeq: {sequence} {method}\n" +
        "Content-Length: 0\n\n";

    /// <summary>Answers at once, except the request after <see cref="HoldNext"/>, whose answer waits for <see cref="Release"/>.</summary>
    private sealed class HeldResolver : ITargetResolver
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool holdNext;

        public void HoldNext() => holdNext = true;

        public void Release() => released.SetResult();

        public async ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken)
        {
            if (holdNext)
            {
                holdNext = false;
                await released.Task.ConfigureAwait(false);
            }

            return RouteDecision.Forward(new IPEndPoint(IPAddress.Loopback, 5070));
        }

        public ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
    }
}
