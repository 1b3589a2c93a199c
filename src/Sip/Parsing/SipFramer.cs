using System.Buffers;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Parsing;

/// <summary>
/// Cuts messages out of a stream (TCP, TLS): the header section ends at the first empty line and the body is
/// exactly Content-Length bytes, which is mandatory on a stream (RFC 3261 §18.3, §20.14). A frame is then
/// parsed by <see cref="SipParser.TryParse"/>. Once framing fails the stream has lost its message boundaries,
/// so the connection must be closed.
/// </summary>
public static class SipFramer
{
    // Header sections that straddle buffer segments are copied into a rented array to be scanned; this is the
    // stack-allocated size under which no array is rented.
    private const int StackCopyBytes = 1024;

    /// <param name="buffer">Unconsumed stream bytes.</param>
    /// <param name="consumed">Where the caller's buffer now starts: <c>buffer.Start</c> when incomplete.</param>
    /// <param name="message">The framed message when the status is <see cref="SipFrameStatus.Message"/>.</param>
    /// <param name="error">Why framing failed when the status is <see cref="SipFrameStatus.Malformed"/>.</param>
    public static SipFrameStatus TryFrame(
        in ReadOnlySequence<byte> buffer,
        SipParseLimits limits,
        out SequencePosition consumed,
        out ReadOnlySequence<byte> message,
        out SipParseError error)
    {
        consumed = buffer.Start;
        message = default;
        error = SipParseError.None;
        if (buffer.IsEmpty)
        {
            return SipFrameStatus.Incomplete;
        }

        var reader = new SequenceReader<byte>(buffer);
        var keepAlive = reader.AdvancePastAny((byte)'\r', (byte)'\n');
        if (keepAlive > 0)
        {
            consumed = reader.Position;
            return SipFrameStatus.KeepAlive;
        }

        if (!TryFindHeaderEnd(ref reader, out var headerLength))
        {
            if (buffer.Length > limits.MaxMessageBytes)
            {
                error = SipParseError.MessageTooLarge;
                return SipFrameStatus.Malformed;
            }

            return SipFrameStatus.Incomplete;
        }

        if (headerLength > limits.MaxMessageBytes)
        {
            error = SipParseError.MessageTooLarge;
            return SipFrameStatus.Malformed;
        }

        var headers = buffer.Slice(0, headerLength);
        error = headers.IsSingleSegment ? ReadContentLength(headers.FirstSpan, out var contentLength) : ReadContentLength(headers, out contentLength);
        if (error != SipParseError.None)
        {
            return SipFrameStatus.Malformed;
        }

        var total = headerLength + contentLength;
        if (total > limits.MaxMessageBytes)
        {
            error = SipParseError.MessageTooLarge;
            return SipFrameStatus.Malformed;
        }

        if (buffer.Length < total)
        {
            return SipFrameStatus.Incomplete;
        }

        message = buffer.Slice(0, total);
        consumed = message.End;
        return SipFrameStatus.Message;
    }

    /// <summary>Finds the empty line that ends the header section (CRLF CRLF, or bare LFs as the parser tolerates).</summary>
    private static bool TryFindHeaderEnd(ref SequenceReader<byte> reader, out long headerLength)
    {
        while (reader.TryAdvanceTo((byte)'\n'))
        {
            if (reader.IsNext((byte)'\n', advancePast: true) || reader.IsNext("\r\n"u8, advancePast: true))
            {
                headerLength = reader.Consumed;
                return true;
            }
        }

        headerLength = 0;
        return false;
    }

    private static SipParseError ReadContentLength(in ReadOnlySequence<byte> headers, out long contentLength)
    {
        var length = (int)headers.Length;
        byte[]? rented = null;
        var copy = length <= StackCopyBytes ? stackalloc byte[StackCopyBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            headers.CopyTo(copy);
            return ReadContentLength(copy[..length], out contentLength);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Finds Content-Length (or its compact form l) among the header lines after the start line; folded values included.</summary>
    private static SipParseError ReadContentLength(ReadOnlySpan<byte> headers, out long contentLength)
    {
        contentLength = -1;
        var position = headers.IndexOf((byte)'\n') + 1;
        while (position < headers.Length)
        {
            var lineEnd = NextLine(headers, position);
            var fieldEnd = lineEnd;
            while (fieldEnd < headers.Length && headers[fieldEnd] is (byte)' ' or (byte)'\t')
            {
                fieldEnd = NextLine(headers, fieldEnd);
            }

            var field = headers[position..fieldEnd];
            position = fieldEnd;
            var colon = field.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var (nameStart, nameLength) = SipSyntax.Trim(field, 0, colon);
            if (HeaderNames.Classify(field.Slice(nameStart, nameLength)) != HeaderKind.ContentLength)
            {
                continue;
            }

            var (valueStart, valueLength) = SipSyntax.Trim(field, colon + 1, field.Length - colon - 1);
            if (!SipSyntax.TryParseDigits(field.Slice(valueStart, valueLength), out var value))
            {
                return SipParseError.ContentLengthNotNumber;
            }

            if (contentLength >= 0 && contentLength != value)
            {
                return SipParseError.ContentLengthConflicting;
            }

            contentLength = value;
        }

        return contentLength < 0 ? SipParseError.ContentLengthMissing : SipParseError.None;
    }

    private static int NextLine(ReadOnlySpan<byte> text, int position)
    {
        var lf = text[position..].IndexOf((byte)'\n');
        return lf < 0 ? text.Length : position + lf + 1;
    }
}
