namespace OrleansProxy.Sip.Transport;

/// <summary>Bounds and TLS settings of a <see cref="StreamTransport"/>. Every bound, when hit, is logged and counted.</summary>
public sealed record StreamTransportOptions
{
    /// <summary>Open connections in both directions together, handshakes included. Default 10 000.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>Open connections with one remote IP address, whatever its ports. Default 64.</summary>
    public int MaxConnectionsPerPeer { get; init; } = 64;

    /// <summary>A connection with no bytes either way for this long is closed. Default 2 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A write that has not finished after this long (a peer that stopped reading) closes the connection, so it does
    /// not hold up every other message to that peer. Default 10 s.
    /// </summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bounds opening an outbound connection and any TLS handshake, in both directions. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest message framed on a stream; a larger one closes the connection. Default 65 535.</summary>
    public int MaxMessageBytes { get; init; } = SipDefaults.MaxMessageBytes;

    /// <summary>Required to listen with <see cref="SipTransportKind.Tls"/>.</summary>
    public TlsServerSettings? TlsServer { get; init; }

    /// <summary>How outbound TLS connections check the server; null checks it against the system store.</summary>
    public TlsClientSettings? TlsClient { get; init; }

    /// <exception cref="ArgumentException">A bound that cannot work, named by its property.</exception>
    public void Validate()
    {
        Require(MaxConnections >= 0, nameof(MaxConnections), "must not be negative");
        Require(MaxConnectionsPerPeer >= 1, nameof(MaxConnectionsPerPeer), "must be at least 1");
        Require(IdleTimeout > TimeSpan.Zero, nameof(IdleTimeout), "must be positive");
        Require(WriteTimeout > TimeSpan.Zero, nameof(WriteTimeout), "must be positive");
        Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");

        // The smallest message that carries the mandatory headers is about 200 bytes.
        Require(MaxMessageBytes >= 512, nameof(MaxMessageBytes), "must be at least 512");
    }

    private static void Require(bool holds, string property, string rule)
    {
        if (!holds)
        {
            throw new ArgumentException($"StreamTransportOptions.{property} {rule}.", property);
        }
    }
}
