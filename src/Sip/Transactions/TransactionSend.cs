using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>Sends made from timer callbacks, which nobody awaits: a failure is already logged and counted by the transport.</summary>
internal static class TransactionSend
{
    public static async Task QuietlyAsync(ISipTransport transport, ReadOnlyMemory<byte> message, IPEndPoint destination)
    {
        try
        {
            await transport.SendAsync(message, destination, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The listener closed while a retransmission was due: the node is stopping.
        }
    }
}
