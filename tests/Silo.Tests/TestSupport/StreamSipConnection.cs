using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// One SIP connection over TCP or TLS as a test peer sees it: whole messages in and out, framed by Content-Length
/// with its own small framer, so the proxy's framer is checked against an independent one.
/// </summary>
internal sealed class StreamSipConnection : ISipChannel
{
    private readonly TcpClient client;
    private readonly Stream stream;
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly byte[] buffer = new byte[65536];
    private readonly MemoryStream pending = new();

    private StreamSipConnection(TcpClient client, Stream stream)
    {
        this.client = client;
        this.stream = stream;
        LocalEndPoint = (IPEndPoint)client.Client.LocalEndPoint!;
        RemoteEndPoint = (IPEndPoint)client.Client.RemoteEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public string ViaTransport => stream is SslStream ? "TLS" : "TCP";

    public string LocalHostPort => HostPort.Of(LocalEndPoint);

    /// <param name="trusted">For TLS: the CA the proxy's certificate must chain to; null for plain TCP.</param>
    public static async Task<StreamSipConnection> ConnectAsync(IPEndPoint remote, X509Certificate2Collection? trusted = null, X509Certificate2? clientCertificate = null)
    {
        var client = new TcpClient(remote.AddressFamily);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.ConnectAsync(remote, timeout.Token);
            if (trusted is null)
            {
                return new StreamSipConnection(client, client.GetStream());
            }

            var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(trusted);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                    CertificateChainPolicy = policy,
                },
                timeout.Token);
            return new StreamSipConnection(client, tls);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static async Task<StreamSipConnection> AcceptAsync(TcpClient accepted, X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return new StreamSipConnection(accepted, accepted.GetStream());
        }

        var tls = new SslStream(accepted.GetStream(), leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, timeout.Token);
        return new StreamSipConnection(accepted, tls);
    }

    /// <summary>Sends <paramref name="text"/> written with "\n" line ends as CRLF.</summary>
    public Task SendAsync(string text) => SendRawAsync(Encoding.ASCII.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal)));

    public async Task SendRawAsync(byte[] bytes)
    {
        await writing.WaitAsync();
        try
        {
            await stream.WriteAsync(bytes);
            await stream.FlushAsync();
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>The next whole message; null when the peer closed the connection or nothing came in time.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        try
        {
            return await ReceiveOrThrowAsync(timeout);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<string?> ReceiveOrThrowAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            if (TryTakeMessage(out var message))
            {
                return message;
            }

            var read = await stream.ReadAsync(buffer, cancel.Token);
            if (read == 0)
            {
                return null;
            }

            pending.Write(buffer, 0, read);
        }
    }

    /// <summary>Waits until the peer closes the connection, reading and discarding what it sends.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        try
        {
            while (await ReceiveOrThrowAsync(timeout) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        client.Dispose();
        writing.Dispose();
        await pending.DisposeAsync();
    }

    private bool TryTakeMessage(out string? message)
    {
        message = null;
        var bytes = pending.GetBuffer().AsSpan(0, (int)pending.Length);
        var start = 0;
        while (start + 1 < bytes.Length && bytes[start] == '\r' && bytes[start + 1] == '\n')
        {
            start += 2;
        }

        var end = bytes[start..].IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return false;
        }

        var head = Encoding.ASCII.GetString(bytes.Slice(start, end));
        var total = start + end + 4 + ContentLength(head);
        if (bytes.Length < total)
        {
            return false;
        }

        message = Encoding.ASCII.GetString(bytes[start..total]);
        var rest = bytes[total..].ToArray();
        pending.SetLength(0);
        pending.Write(rest);
        return true;
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() is var name
                && (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("l", StringComparison.OrdinalIgnoreCase)))
            {
                return int.Parse(line[(colon + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
