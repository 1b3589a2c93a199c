using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// Asks the operating system the way applications do: a UDP socket connected to the destination (connecting sends
/// nothing) is bound to the source address its route names. Each answer is kept for a minute, so forwarding costs a
/// dictionary hit and a changed route is followed soon; past <see cref="MaxEntries"/> destinations (requests towards
/// many phones) the cache starts afresh rather than grow.
/// </summary>
public sealed class SystemRouteTable(TimeProvider? timeProvider = null) : IRouteTable
{
    public const int MaxEntries = 4096;

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    // Any port will do: a connected UDP socket only records the peer.
    private const int AnyPort = 9;

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<IPAddress, Answer> answers = new();

    public IPAddress? SourceAddressFor(IPAddress destination)
    {
        var now = time.GetTimestamp();
        if (answers.TryGetValue(destination, out var answer) && time.GetElapsedTime(answer.Found, now) < Lifetime)
        {
            return answer.Source;
        }

        var source = LookUp(destination);
        if (answers.Count >= MaxEntries)
        {
            answers.Clear();
        }

        answers[destination] = new Answer(source, now);
        return source;
    }

    private static IPAddress? LookUp(IPAddress destination)
    {
        using var socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(destination, AnyPort);
            return ((IPEndPoint)socket.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            // No route (network unreachable): the caller falls back to the listener the request came in on.
            return null;
        }
    }

    private readonly record struct Answer(IPAddress? Source, long Found);
}
