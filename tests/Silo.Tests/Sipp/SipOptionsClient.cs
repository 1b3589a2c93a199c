using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// Sends out-of-dialog OPTIONS from its own loopback UDP socket and reads the answer, the way
/// a SIP peer checks that a server (a sipp UAS, or the proxy) is alive.
/// Each OPTIONS gets a fresh Call-ID: a sipp UAS ignores a Call-ID it has finished a call
/// with for its -deadcall_wait period (33 s by default).
/// </summary>
internal sealed class SipOptionsClient : IDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private int _sequence;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    /// <summary>Sends one OPTIONS to <paramref name="target"/> and returns its Call-ID.</summary>
    public async Task<string> SendAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var sequence = Interlocked.Increment(ref _sequence);
        var local = LocalEndPoint;
        var callId = $"{Guid.NewGuid():N}@{local.Address}";
        var cseq = sequence.ToString(CultureInfo.InvariantCulture);
        string[] lines =
        [
            $"OPTIONS sip:{target} SIP/2.0",
            $"Via: SIP/2.0/UDP {local};branch=z9hG4bK{Guid.NewGuid():N}",
            "Max-Forwards: 70",
            $"From: <sip:probe@{local}>;tag={cseq}",
            $"To: <sip:{target}>",
            $"Call-ID: {callId}",
            $"CSeq: {cseq} OPTIONS",
            "Content-Length: 0",
            string.Empty,
            string.Empty,
        ];
        var request = string.Join("\r\n", lines);
        await _socket.SendAsync(Encoding.ASCII.GetBytes(request), target, cancellationToken).ConfigureAwait(false);
        return callId;
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a response with <paramref name="callId"/> and
    /// returns it whole, or null when none came in time.
    /// Responses to other Call-IDs, such as late answers to earlier probes, are passed over.
    /// </summary>
    public async Task<string?> ReceiveAsync(string callId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var datagram = await _socket.ReceiveAsync(window.Token).ConfigureAwait(false);
                var response = Encoding.ASCII.GetString(datagram.Buffer);
                if (HeaderValue(response, "Call-ID", "i") == callId)
                {
                    return response;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Sends one OPTIONS and waits for its answer; null when none came in time.</summary>
    public async Task<string?> ProbeAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var callId = await SendAsync(target, cancellationToken).ConfigureAwait(false);
        return await ReceiveAsync(callId, timeout, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The first line of a message, such as <c>SIP/2.0 200 OK</c>.</summary>
    public static string StatusLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var end = message.IndexOf("\r\n", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    /// <summary>The value of the first header named <paramref name="name"/> or its compact form.</summary>
    public static string? HeaderValue(string message, string name, string compactName)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var line in message.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var header = line.AsSpan(0, colon).Trim();
            if (header.Equals(name, StringComparison.OrdinalIgnoreCase)
                || header.Equals(compactName, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
