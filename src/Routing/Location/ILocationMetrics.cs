namespace OrleansProxy.Routing.Location;

/// <summary>What RFC 3263 location counts; the host exports it with the node's other metrics.</summary>
internal interface ILocationMetrics
{
    /// <param name="outcome">records, no_records, timeout or failed.</param>
    void RecordDnsLookup(string outcome);

    void RecordNextHopGreylisted();
}
