namespace OrleansProxy.Routing.Location;

internal enum DnsAnswerKind : byte
{
    /// <summary>The answer section holds records of the type asked for.</summary>
    Records,

    /// <summary>The name does not exist, or has no record of that type (NXDOMAIN or NODATA).</summary>
    NoRecords,

    /// <summary>No usable answer: time-out, server failure, refusal or a network error.</summary>
    Failed,
}
