using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// A SIP server on TCP or TLS for end-to-end tests: answers OPTIONS, INVITE (100 then 200), BYE and anything else
/// with 200 on the connection the request came on, absorbs ACK, and keeps every request it received.
/// </summary>
internal sealed class StreamSipServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly X509Certificate2? certificate;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentBag<StreamSipConnection> connections = [];
    private readonly ConcurrentQueue<string> requests = new();
    private readonly Task accepting;
    private int accepted;

    private StreamSipServer(TcpListener listener, X509Certificate2? certificate)
    {
        this.listener = listener;
        this.certificate = certificate;
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        accepting = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref accepted);

    /// <summary>"tcp://host:port" or "tls://host:port", the way a pair member is configured.</summary>
    public string MemberAddress => $"{(certificate is null ? "tcp" : "tls")}://{(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{EndPoint.Address}]" : EndPoint.Address.ToString())}:{EndPoint.Port}";

    /// <param name="certificate">With a certificate the server speaks TLS.</param>
    public static StreamSipServer Start(IPEndPoint bind, X509Certificate2? certificate = null)
    {
        var listener = new TcpListener(bind);
        if (bind.AddressFamily == AddressFamily.InterNetworkV6)
        {
            listener.Server.DualMode = false;
        }

        listener.Start();
        return new StreamSipServer(listener, certificate);
    }

    /// <summary>Requests received so far whose method is <paramref name="method"/>, oldest first.</summary>
    public IReadOnlyList<string> RequestsOf(string method) =>
        [.. requests.Where(request => request.StartsWith(method + " ", StringComparison.Ordinal))];

    public Task<string> WaitForRequestAsync(string method) =>
        Eventually.Satisfies(() => Task.FromResult(RequestsOf(method)), found => found.Count > 0, $"a {method} at the server")
            .ContinueWith(found => found.Result[^1], TaskScheduler.Default);

    /// <summary>Closes every connection (the server stays up and accepts new ones), as a restarted peer or a broken network would.</summary>
    public async Task DropConnectionsAsync()
    {
        while (connections.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await DropConnectionsAsync();
        try
        {
            await accepting;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref accepted);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var connection = await StreamSipConnection.AcceptAsync(client, certificate);
            connections.Add(connection);
            while (await connection.ReceiveAsync(TimeSpan.FromMinutes(5)) is { } message)
            {
                if (message.StartsWith("SIP/2.0", StringComparison.Ordinal))
                {
                    continue;
                }

                requests.Enqueue(message);
                foreach (var response in SipAnswers.For(message, EndPoint, certificate is null ? "tcp" : "tls"))
                {
                    await connection.SendRawAsync(Encoding.ASCII.GetBytes(response));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // The connection went away; the proxy opens a new one when it needs to.
        }
    }
}
