using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// The requests a client transaction builds from the request it sent: the ACK for a non-2xx final response
/// (§17.1.1.3) and the CANCEL (§9.1). Both copy the Request-URI, the top Via (our branch), Route, From,
/// Call-ID and the CSeq number byte for byte; the ACK takes To from the response.
/// </summary>
public static class RequestComposer
{
    public static byte[] Ack(byte[] request, SipMessage response)
    {
        var sent = Parse(request);
        var to = response.Headers[FindHeader(response, HeaderKind.To)].Line;
        return Compose(sent, "ACK"u8, response.Span.Slice(to.Offset, to.Length));
    }

    public static byte[] Cancel(byte[] request)
    {
        var sent = Parse(request);
        var to = sent.Headers[FindHeader(sent, HeaderKind.To)].Line;
        return Compose(sent, "CANCEL"u8, sent.Span.Slice(to.Offset, to.Length));
    }

    private static SipMessage Parse(byte[] request)
    {
        var message = new SipMessage();
        SipParser.TryParse(request, message, SipParseLimits.Default);
        return message;
    }

    private static byte[] Compose(SipMessage sent, ReadOnlySpan<byte> method, ReadOnlySpan<byte> toLine)
    {
        var span = sent.Span;
        var uri = sent[sent.RequestUri];
        var via = sent.Headers[sent.Vias[0].HeaderIndex].Line;
        var from = sent.Headers[FindHeader(sent, HeaderKind.From)].Line;
        var callId = sent.Headers[FindHeader(sent, HeaderKind.CallId)].Line;

        var routes = 0;
        foreach (var header in sent.Headers)
        {
            if (header.Kind == HeaderKind.Route)
            {
                routes += header.Line.Length;
            }
        }

        Span<byte> cseq = stackalloc byte[32];
        System.Text.Unicode.Utf8.TryWrite(cseq, $"CSeq: {sent.CSeqNumber} ", out var cseqLength);
        var length = method.Length + 1 + uri.Length + 10 + via.Length + 19 + routes + from.Length + toLine.Length + callId.Length
            + cseqLength + method.Length + 2 + 21;
        var output = new byte[length];
        var position = 0;
        Append(output, ref position, method);
        Append(output, ref position, " "u8);
        Append(output, ref position, uri);
        Append(output, ref position, " SIP/2.0\r\n"u8);
        Append(output, ref position, span.Slice(via.Offset, via.Length));
        Append(output, ref position, "Max-Forwards: 70\r\n"u8);
        foreach (var header in sent.Headers)
        {
            if (header.Kind == HeaderKind.Route)
            {
                Append(output, ref position, span.Slice(header.Line.Offset, header.Line.Length));
            }
        }

        Append(output, ref position, span.Slice(from.Offset, from.Length));
        Append(output, ref position, toLine);
        Append(output, ref position, span.Slice(callId.Offset, callId.Length));
        Append(output, ref position, cseq[..cseqLength]);
        Append(output, ref position, method);
        Append(output, ref position, "\r\nContent-Length: 0\r\n\r\n"u8);
        return output.AsSpan(0, position).ToArray();
    }

    private static int FindHeader(SipMessage message, HeaderKind kind)
    {
        var headers = message.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i].Kind == kind)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The message has no {kind} header.");
    }

    private static void Append(byte[] output, ref int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.AsSpan(position));
        position += bytes.Length;
    }
}
