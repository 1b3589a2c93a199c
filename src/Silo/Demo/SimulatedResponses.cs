using System.Buffers;
using System.Text;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// Responses of a simulated server, as a UAS writes them (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq
/// copied byte for byte in their order, a To tag on everything but 100, and for responses that set up a
/// dialog every Record-Route in order plus a Contact (§12.1.1).
/// </summary>
internal static class SimulatedResponses
{
    /// <param name="toTag">Added to the To header when the request has no tag of its own.</param>
    /// <param name="extraHeaderLines">Complete header lines, each ending in CRLF.</param>
    public static byte[] Write(
        SipMessage request,
        int statusCode,
        string reasonPhrase,
        string? toTag = null,
        string? contact = null,
        bool copyRecordRoutes = false,
        string? sdp = null,
        string? extraHeaderLines = null)
    {
        var writer = new ArrayBufferWriter<byte>(request.BodyOffset + 512 + (sdp?.Length ?? 0));
        Append(writer, $"SIP/2.0 {statusCode} {reasonPhrase}\r\n");
        var span = request.Span;
        foreach (var header in request.Headers)
        {
            var copied = header.Kind is HeaderKind.Via or HeaderKind.From or HeaderKind.CallId or HeaderKind.CSeq
                || (header.Kind == HeaderKind.RecordRoute && copyRecordRoutes);
            if (copied)
            {
                writer.Write(header.Line.Of(span));
            }
            else if (header.Kind == HeaderKind.To)
            {
                WriteTo(writer, request, header, toTag);
            }
        }

        if (contact is not null)
        {
            Append(writer, $"Contact: {contact}\r\n");
        }

        Append(writer, "Server: OrleansProxy-demo\r\n");
        if (extraHeaderLines is not null)
        {
            Append(writer, extraHeaderLines);
        }

        if (sdp is null)
        {
            Append(writer, "Content-Length: 0\r\n\r\n");
        }
        else
        {
            Append(writer, $"Content-Type: {SessionDescription.ContentType}\r\nContent-Length: {Encoding.ASCII.GetByteCount(sdp)}\r\n\r\n{sdp}");
        }

        return writer.WrittenSpan.ToArray();
    }

    private static void WriteTo(ArrayBufferWriter<byte> writer, SipMessage request, HeaderField header, string? toTag)
    {
        var span = request.Span;
        if (toTag is null || request.ToTag.IsPresent || header.Value.Offset != request.To.Offset)
        {
            writer.Write(header.Line.Of(span));
            return;
        }

        writer.Write(span[header.Line.Offset..header.Value.End]);
        Append(writer, $";tag={toTag}");
        writer.Write(span[header.Value.End..header.Line.End]);
    }

    private static void Append(ArrayBufferWriter<byte> writer, string text)
    {
        var written = Encoding.ASCII.GetBytes(text, writer.GetSpan(Encoding.ASCII.GetByteCount(text)));
        writer.Advance(written);
    }
}
