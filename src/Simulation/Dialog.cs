using System.Net;

namespace OrleansProxy.Simulation;

/// <summary>
/// The caller's side of a dialog a 2xx set up (RFC 3261 §12.1.2): the route set is the Record-Route reversed,
/// the remote target the Contact; ACK and BYE go to the first route, else to the remote target.
/// </summary>
internal sealed record Dialog(string CallId, string FromLine, string ToLine, string RemoteTarget, IReadOnlyList<string> RouteSet, IPEndPoint NextHop, int InviteCSeq)
{
    public static Dialog? TryCreate(OutgoingRequest invite, ReceivedResponse answer, IPEndPoint fallbackHop)
    {
        if (answer.Contact is null)
        {
            return null;
        }

        var routes = new string[answer.RecordRoutes.Count];
        for (var i = 0; i < routes.Length; i++)
        {
            routes[i] = answer.RecordRoutes[^(i + 1)];
        }

        var nextHop = routes.Length > 0
            ? SipAddresses.TryGetEndPoint(routes[0], out var firstRoute) ? firstRoute : fallbackHop
            : answer.ContactEndPoint ?? fallbackHop;
        return new Dialog(invite.CallId, invite.FromLine, answer.ToLine, answer.Contact, routes, nextHop, invite.CSeq);
    }

    public OutgoingRequest Request(string method, int cseq, string sentBy) =>
        new(method, RemoteTarget, SipEndpoint.NewBranch(), cseq)
        {
            SentBy = sentBy,
            FromLine = FromLine,
            ToLine = ToLine,
            CallId = CallId,
            Routes = RouteSet,
        };
}
