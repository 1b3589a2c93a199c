using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// Closes the connections of a <see cref="StreamTransport"/> that carried nothing either way for the idle time-out,
/// and those whose write has not finished within the write time-out (a peer that stopped reading holds up every
/// other message to it). Runs on the transport's clock, a quarter of the shorter time-out apart, so a connection
/// lives at most a quarter longer than allowed.
/// </summary>
internal sealed class ConnectionSweeper : IDisposable
{
    private readonly ConcurrentDictionary<IPEndPoint, StreamConnection> connections;
    private readonly StreamTransport transport;
    private readonly TimeSpan idleTimeout;
    private readonly TimeSpan writeTimeout;
    private readonly ITimer timer;

    public ConnectionSweeper(StreamTransport transport, ConcurrentDictionary<IPEndPoint, StreamConnection> connections)
    {
        this.transport = transport;
        this.connections = connections;
        idleTimeout = transport.Options.IdleTimeout;
        writeTimeout = transport.Options.WriteTimeout;
        var shorter = Math.Min(idleTimeout.Ticks, writeTimeout.Ticks);
        var every = TimeSpan.FromTicks(Math.Clamp(shorter / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(5).Ticks));
        timer = transport.Time.CreateTimer(static state => ((ConnectionSweeper)state!).Sweep(), this, every, every);
    }

    public void Dispose() => timer.Dispose();

    private void Sweep()
    {
        var time = transport.Time;
        var logger = transport.Logger;
        foreach (var (_, connection) in connections)
        {
            var writeStarted = connection.WriteStarted;
            if (writeStarted != 0 && time.GetElapsedTime(writeStarted) >= writeTimeout)
            {
                StreamTransportLog.WriteStalled(logger, connection.Remote, transport.Hop, writeTimeout);
                transport.Close(connection, StreamCloseReason.WriteStalled);
            }
            else if (time.GetElapsedTime(connection.LastActivity) >= idleTimeout)
            {
                StreamTransportLog.Idle(logger, connection.Remote, transport.Hop, idleTimeout);
                transport.Close(connection, StreamCloseReason.Idle);
            }
        }
    }
}
