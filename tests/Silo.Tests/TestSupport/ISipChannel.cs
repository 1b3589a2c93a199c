namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>A test user agent's way to the proxy: whole SIP messages over UDP, TCP or TLS.</summary>
internal interface ISipChannel : IAsyncDisposable
{
    /// <summary>"UDP", "TCP" or "TLS" as written in Via.</summary>
    string ViaTransport { get; }

    /// <summary>host:port of this end, IPv6 in brackets, for Via and Contact.</summary>
    string LocalHostPort { get; }

    /// <summary>Sends text written with "\n" line ends as CRLF.</summary>
    Task SendAsync(string text);

    /// <summary>The next message, or null when nothing came in time or the connection closed.</summary>
    Task<string?> ReceiveAsync(TimeSpan timeout);
}
