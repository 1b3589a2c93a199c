using System.Globalization;
using System.Text;

namespace OrleansProxy.Simulation;

/// <summary>A request a simulated user agent originates, written out as a datagram. Loose routing is assumed throughout.</summary>
internal sealed record OutgoingRequest(string Method, string RequestUri, string Branch, int CSeq)
{
    public required string SentBy { get; init; }

    /// <summary>The whole From header line, CRLF included.</summary>
    public required string FromLine { get; init; }

    /// <summary>The whole To header line, CRLF included.</summary>
    public required string ToLine { get; init; }

    public required string CallId { get; init; }

    public string? Contact { get; init; }

    /// <summary>Route values, in the order they go on the wire.</summary>
    public IReadOnlyList<string> Routes { get; init; } = [];

    /// <summary>Extra header lines without CRLF.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    public byte[]? Sdp { get; init; }

    public byte[] ToBytes()
    {
        var text = new StringBuilder(512);
        text.Append(CultureInfo.InvariantCulture, $"{Method} {RequestUri} SIP/2.0\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Via: SIP/2.0/UDP {SentBy};branch={Branch};rport\r\n");
        text.Append("Max-Forwards: 70\r\n");
        foreach (var route in Routes)
        {
            text.Append(CultureInfo.InvariantCulture, $"Route: {route}\r\n");
        }

        text.Append(FromLine).Append(ToLine);
        text.Append(CultureInfo.InvariantCulture, $"Call-ID: {CallId}\r\nCSeq: {CSeq} {Method}\r\n");
        if (Contact is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Contact: {Contact}\r\n");
        }

        foreach (var header in Headers)
        {
            text.Append(header).Append("\r\n");
        }

        if (Sdp is not null)
        {
            text.Append(SessionDescription.ContentTypeLine);
        }

        text.Append(CultureInfo.InvariantCulture, $"Content-Length: {Sdp?.Length ?? 0}\r\n\r\n");
        var head = Encoding.ASCII.GetBytes(text.ToString());
        return Sdp is null ? head : [.. head, .. Sdp];
    }
}
