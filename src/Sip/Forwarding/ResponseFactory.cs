using System.Globalization;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// Responses the proxy answers itself (RFC 3261 §8.2.6): status line, then Via, From, To (with a tag),
/// Call-ID and CSeq copied byte for byte from the request (the To tag is <see cref="LocalAnswerTag"/>), the Server header of <see cref="ProductName"/> (if any),
/// then any extra header lines.
/// Works on a request that failed to parse, copying whatever of those headers it has.
/// A body (a user agent's SDP answer) goes after the headers with its Content-Length; the caller writes its Content-Type.
/// </summary>
public static class ResponseFactory
{
    private const int MaxReasonChars = 200;

    /// <param name="tag">The responder's To tag; <see cref="LocalAnswerTag.Default"/> when not given.</param>
    public static PooledBuffer Create(SipMessage request, ProductName product, int statusCode, ReadOnlySpan<char> reasonPhrase, ReadOnlySpan<byte> extraHeaderLines = default, ReadOnlySpan<byte> body = default, LocalAnswerTag? tag = null)
    {
        var span = request.Span;
        var headers = request.Headers;
        var serverLine = product.ServerLine.Span;
        var capacity = 64 + (Math.Min(reasonPhrase.Length, MaxReasonChars) * 3) + serverLine.Length + extraHeaderLines.Length + body.Length + 64;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (IsCopied(header.Kind))
            {
                capacity += header.Line.Length + 2;
            }
        }

        var buffer = new PooledBuffer(capacity);
        buffer.Append("SIP/2.0 "u8);
        statusCode.TryFormat(buffer.Free, out var written, default, CultureInfo.InvariantCulture);
        buffer.Length += written;
        buffer.Append(" "u8);
        WriteReasonPhrase(ref buffer, reasonPhrase);
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (!IsCopied(header.Kind))
            {
                continue;
            }

            if (header.Kind == HeaderKind.To && !request.ToTag.IsPresent && statusCode > 100 && header.Value.Offset == request.To.Offset)
            {
                buffer.Append(span[header.Line.Offset..header.Value.End]);
                AppendTag(ref buffer, request, tag ?? LocalAnswerTag.Default);
                buffer.Append(span[header.Value.End..header.Line.End]);
            }
            else
            {
                buffer.Append(span.Slice(header.Line.Offset, header.Line.Length));
            }
        }

        buffer.Append(serverLine);
        buffer.Append(extraHeaderLines);
        buffer.Append("Content-Length: "u8);
        body.Length.TryFormat(buffer.Free, out written, default, CultureInfo.InvariantCulture);
        buffer.Length += written;
        buffer.Append("\r\n\r\n"u8);
        buffer.Append(body);
        return buffer;
    }

    private static bool IsCopied(HeaderKind kind) =>
        kind is HeaderKind.Via or HeaderKind.From or HeaderKind.To or HeaderKind.CallId or HeaderKind.CSeq;

    private static void AppendTag(ref PooledBuffer buffer, SipMessage request, LocalAnswerTag tag)
    {
        buffer.Append(";tag="u8);
        tag.Write(request, buffer.Free);
        buffer.Length += LocalAnswerTag.Length;
    }

    // A reason phrase is one line of text: anything that could break the framing becomes a space.
    private static void WriteReasonPhrase(ref PooledBuffer buffer, ReadOnlySpan<char> reason)
    {
        var text = reason.Length > MaxReasonChars ? reason[..MaxReasonChars] : reason;
        var written = System.Text.Encoding.UTF8.GetBytes(text, buffer.Free);
        buffer.Free[..written].Replace((byte)'\r', (byte)' ');
        buffer.Free[..written].Replace((byte)'\n', (byte)' ');
        buffer.Length += written;
        buffer.Append("\r\n"u8);
    }
}
