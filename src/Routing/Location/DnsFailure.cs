namespace OrleansProxy.Routing.Location;

/// <summary>Why a DNS question got no usable answer; a time-out is logged and counted apart from other faults.</summary>
internal enum DnsFailure
{
    None,
    TimedOut,
    Error,
}
