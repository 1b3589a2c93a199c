using System.Text;

namespace OrleansProxy.Silo.Demo;

/// <summary>A request the demo's peers originate, written out in full: they build a handful per call, so clarity wins over speed here.</summary>
internal sealed record OutgoingRequest(string Method, string RequestUri, string Branch, int CSeq)
{
    /// <summary>host:port of the sender's socket, for the Via sent-by.</summary>
    public required string SentBy { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    public required string CallId { get; init; }

    /// <summary>Route values in the order they are to be visited.</summary>
    public IReadOnlyList<string> Routes { get; init; } = [];

    public string? Contact { get; init; }

    /// <summary>Further header lines, without CRLF, written after Contact.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    public string? Sdp { get; init; }

    public byte[] ToBytes()
    {
        var text = new StringBuilder(512)
            .Append(Method).Append(' ').Append(RequestUri).Append(" SIP/2.0\r\n")
            .Append("Via: SIP/2.0/UDP ").Append(SentBy).Append(";branch=").Append(Branch).Append(";rport\r\n")
            .Append("Max-Forwards: 70\r\n");
        foreach (var route in Routes)
        {
            text.Append("Route: ").Append(route).Append("\r\n");
        }

        text.Append("From: ").Append(From).Append("\r\n")
            .Append("To: ").Append(To).Append("\r\n")
            .Append("Call-ID: ").Append(CallId).Append("\r\n")
            .Append("CSeq: ").Append(CSeq).Append(' ').Append(Method).Append("\r\n");
        if (Contact is not null)
        {
            text.Append("Contact: ").Append(Contact).Append("\r\n");
        }

        foreach (var header in Headers)
        {
            text.Append(header).Append("\r\n");
        }

        text.Append("User-Agent: OrleansProxy-demo\r\n");
        if (Sdp is null)
        {
            text.Append("Content-Length: 0\r\n\r\n");
        }
        else
        {
            text.Append("Content-Type: ").Append(SessionDescription.ContentType).Append("\r\n")
                .Append("Content-Length: ").Append(Encoding.ASCII.GetByteCount(Sdp)).Append("\r\n\r\n")
                .Append(Sdp);
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
