namespace OrleansProxy.Routing.Location;

/// <summary>One SRV record's target (RFC 2782).</summary>
/// <param name="Host">Target host name, fully qualified with its trailing dot.</param>
internal readonly record struct SrvTarget(ushort Priority, ushort Weight, int Port, string Host);
