namespace OrleansProxy.Silo.Demo;

/// <summary>What one simulated server has handled, for the demo's report.</summary>
/// <param name="InvitesReceived">New INVITEs and re-INVITEs; retransmissions are not counted again.</param>
/// <param name="InvitesAnswered">INVITEs answered 200.</param>
/// <param name="InvitesCancelled">INVITEs ended 487 by a CANCEL.</param>
/// <param name="AcksReceived">Every ACK, retransmitted ones included.</param>
/// <param name="ByesAnswered">Every BYE, including those for calls the other member of the pair set up.</param>
/// <param name="OptionsIgnored">OPTIONS left unanswered while standby.</param>
/// <param name="OtherRequests">Requests other than INVITE, ACK, BYE, CANCEL and OPTIONS.</param>
/// <param name="MalformedMessages">Datagrams that did not parse.</param>
internal readonly record struct SimulatedServerCounts(
    long InvitesReceived,
    long InvitesAnswered,
    long InvitesCancelled,
    long AcksReceived,
    long ByesAnswered,
    long OptionsAnswered,
    long OptionsIgnored,
    long OtherRequests,
    long MalformedMessages);
