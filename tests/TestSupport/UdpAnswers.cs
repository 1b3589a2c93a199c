using System.Net.Sockets;
using System.Text;

namespace OrleansProxy.TestSupport;

/// <summary>Reads SIP answers off a UDP socket, keyed by their Call-ID, for tests that send a burst and count what came back.</summary>
public static class UdpAnswers
{
    /// <summary>
    /// Every datagram received, as (Call-ID, text) in arrival order, until <paramref name="distinct"/> Call-IDs have
    /// answered or <paramref name="patience"/> runs out; a datagram without a Call-ID comes with a null one.
    /// </summary>
    public static async Task<List<(string? CallId, string Text)>> ReceiveAsync(UdpClient client, int distinct, TimeSpan patience)
    {
        var received = new List<(string? CallId, string Text)>();
        var seen = new HashSet<string>();
        using var deadline = new CancellationTokenSource(patience);
        while (seen.Count < distinct && !deadline.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await client.ReceiveAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var text = Encoding.ASCII.GetString(datagram.Buffer);
            var callId = text.Split("\r\n").FirstOrDefault(line => line.StartsWith("Call-ID: ", StringComparison.Ordinal))?["Call-ID: ".Length..];
            if (callId is not null)
            {
                seen.Add(callId);
            }

            received.Add((callId, text));
        }

        return received;
    }
}
