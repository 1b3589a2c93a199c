using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// A registrar on UDP for end-to-end tests, configured as a pair member: answers OPTIONS probes and REGISTER with 200,
/// keeps every request it received, and sends requests of its own from its SIP port, as a server does.
/// </summary>
internal sealed class UdpRegistrar : IAsyncDisposable
{
    private readonly UdpClient socket;
    private readonly ConcurrentQueue<string> requests = new();
    private readonly ConcurrentQueue<string> responses = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task serving;

    private UdpRegistrar(UdpClient socket)
    {
        this.socket = socket;
        EndPoint = (IPEndPoint)socket.Client.LocalEndPoint!;
        serving = ServeAsync();
    }

    public IPEndPoint EndPoint { get; }

    public static UdpRegistrar Start() => new(new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)));

    /// <summary>The latest request of <paramref name="method"/> received, once there is one.</summary>
    public Task<string> WaitForRequestAsync(string method) => WaitForAsync(requests, method + " ", $"a {method} at the registrar");

    /// <summary>The latest response received whose status line starts with <paramref name="status"/>, e.g. "SIP/2.0 200".</summary>
    public Task<string> WaitForResponseAsync(string status) => WaitForAsync(responses, status, $"a '{status}' response at the registrar");

    /// <summary>Sends <paramref name="text"/> written with "\n" line ends as CRLF, from the registrar's SIP port.</summary>
    public async Task SendAsync(string text, IPEndPoint destination) =>
        await socket.SendAsync(Encoding.ASCII.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)), destination);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        socket.Dispose();
        try
        {
            await serving;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private static Task<string> WaitForAsync(ConcurrentQueue<string> received, string prefix, string what) =>
        Eventually.Satisfies(
                () => Task.FromResult(received.Where(message => message.StartsWith(prefix, StringComparison.Ordinal)).ToArray()),
                found => found.Length > 0,
                what)
            .ContinueWith(found => found.Result[^1], TaskScheduler.Default);

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await socket.ReceiveAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var message = Encoding.ASCII.GetString(datagram.Buffer);
            if (message.StartsWith("SIP/2.0 ", StringComparison.Ordinal))
            {
                responses.Enqueue(message);
                continue;
            }

            requests.Enqueue(message);
            if (message.StartsWith("OPTIONS ", StringComparison.Ordinal) || message.StartsWith("REGISTER ", StringComparison.Ordinal))
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes(SipAnswers.Response(message, "200 OK", EndPoint, "udp")), datagram.RemoteEndPoint);
            }
        }
    }
}
