using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Parsing;

/// <summary>
/// Parses one complete message (a UDP datagram, or a frame cut from a stream) into a <see cref="SipMessage"/>
/// view. It records the first fault and keeps reading headers, so that a 400 can still be addressed.
/// </summary>
public static class SipParser
{
    private static ReadOnlySpan<byte> Version => "SIP/2.0"u8;

    /// <returns>True when the message is well formed; otherwise <see cref="SipMessage.Error"/> names the fault.</returns>
    public static bool TryParse(ReadOnlyMemory<byte> data, SipMessage message, SipParseLimits limits)
    {
        message.Reset(data);
        var span = data.Span;
        var position = 0;

        // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives).
        while (position < span.Length && span[position] is (byte)'\r' or (byte)'\n')
        {
            position++;
        }

        if (position == span.Length)
        {
            message.Error = SipParseError.Empty;
            return false;
        }

        if (span.Length > limits.MaxMessageBytes)
        {
            Fail(message, SipParseError.MessageTooLarge);
        }

        if (!TryReadLine(span, position, out var lineEnd, out var next))
        {
            Fail(message, SipParseError.StartLineMalformed);
            return false;
        }

        message.StartLine = new TextRange(position, lineEnd - position);
        ParseStartLine(span, message);
        message.HeadersOffset = next;
        if (!ParseHeaders(span, next, message, limits, out var bodyOffset))
        {
            return false;
        }

        CheckMandatoryHeaders(message);
        FrameBody(span, bodyOffset, message);
        return message.Error == SipParseError.None;
    }

    private static void Fail(SipMessage message, SipParseError error)
    {
        if (message.Error == SipParseError.None)
        {
            message.Error = error;
        }
    }

    /// <summary>Finds the end of the line at <paramref name="start"/>; tolerates a bare LF as line ending.</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> span, int start, out int contentEnd, out int nextLine)
    {
        var lf = span[start..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            contentEnd = nextLine = span.Length;
            return false;
        }

        nextLine = start + lf + 1;
        contentEnd = lf > 0 && span[start + lf - 1] == '\r' ? start + lf - 1 : start + lf;
        return true;
    }

    private static void ParseStartLine(ReadOnlySpan<byte> span, SipMessage message)
    {
        var lineRange = message.StartLine;
        var line = lineRange.Of(span);
        var offset = lineRange.Offset;
        if (line.StartsWith("SIP/"u8))
        {
            ParseStatusLine(line, offset, message);
            return;
        }

        message.IsRequest = true;
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            Fail(message, SipParseError.StartLineMalformed);
            return;
        }

        var method = line[..firstSpace];
        if (!SipSyntax.IsToken(method))
        {
            Fail(message, SipParseError.StartLineMalformed);
            return;
        }

        message.MethodToken = new TextRange(offset, firstSpace);
        message.Method = SipMethods.Classify(method);
        var uri = line[(firstSpace + 1)..lastSpace];
        var version = line[(lastSpace + 1)..];
        if (!version.SequenceEqual(Version))
        {
            Fail(message, version.StartsWith("SIP/"u8) ? SipParseError.UnsupportedVersion : SipParseError.StartLineMalformed);
            return;
        }

        message.RequestUri = new TextRange(offset + firstSpace + 1, uri.Length);
        if (uri.IndexOfAny((byte)' ', (byte)'\t') >= 0 || !SipUri.TryParse(uri, out var parsed))
        {
            Fail(message, SipParseError.RequestUriMalformed);
        }
        else if (parsed.IsSip && parsed.Headers.GetOffsetAndLength(uri.Length).Length > 0)
        {
            // RFC 3261 §19.1.1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.10).
            Fail(message, SipParseError.RequestUriHasHeaders);
        }
        else
        {
            message.RequestUriParts = parsed;
            message.HasRequestUriParts = true;
        }
    }

    private static void ParseStatusLine(ReadOnlySpan<byte> line, int offset, SipMessage message)
    {
        message.IsRequest = false;
        if (!line.StartsWith(Version) || line.Length < Version.Length + 4 || line[Version.Length] != ' ')
        {
            Fail(message, line.Length > Version.Length && line[Version.Length] == ' ' ? SipParseError.UnsupportedVersion : SipParseError.StartLineMalformed);
            return;
        }

        var codeStart = Version.Length + 1;
        var code = line.Slice(codeStart, 3);
        if (!SipSyntax.TryParseDigits(code, out var status) || status < 100 || status > 699
            || (line.Length > codeStart + 3 && line[codeStart + 3] != ' '))
        {
            Fail(message, SipParseError.StatusCodeInvalid);
            return;
        }

        message.StatusCode = status;
        var reasonStart = Math.Min(line.Length, codeStart + 4);
        message.ReasonPhrase = new TextRange(offset + reasonStart, line.Length - reasonStart);
    }

    private static bool ParseHeaders(ReadOnlySpan<byte> span, int position, SipMessage message, SipParseLimits limits, out int bodyOffset)
    {
        var headers = message.MutableHeaders;
        bodyOffset = span.Length;
        while (true)
        {
            if (!TryReadLine(span, position, out var contentEnd, out var next))
            {
                Fail(message, SipParseError.HeadersUnterminated);
                return false;
            }

            if (contentEnd == position)
            {
                bodyOffset = next;
                return true;
            }

            // Folded continuation lines (starting with SP/HT) belong to the header above (RFC 3261 §7.3.1).
            var lineEnd = next;
            var valueEnd = contentEnd;
            while (lineEnd < span.Length && span[lineEnd] is (byte)' ' or (byte)'\t')
            {
                if (!TryReadLine(span, lineEnd, out valueEnd, out lineEnd))
                {
                    Fail(message, SipParseError.HeadersUnterminated);
                    return false;
                }
            }

            if (lineEnd - position > limits.MaxHeaderLineBytes)
            {
                Fail(message, SipParseError.HeaderLineTooLong);
                return false;
            }

            if (headers.Count == limits.MaxHeaders)
            {
                Fail(message, SipParseError.TooManyHeaders);
                return false;
            }

            // header-name = token, then LWS, then the colon (§7.3.1): one scan over the name finds where it ends.
            var line = span[position..valueEnd];
            var nameLength = SipSyntax.TokenLength(line);
            var colon = nameLength;
            while (colon < line.Length && SipSyntax.IsWhitespace(line[colon]))
            {
                colon++;
            }

            if (nameLength == 0 || colon == line.Length || line[colon] != ':')
            {
                Fail(message, SipParseError.HeaderLineMalformed);
                position = lineEnd;
                continue;
            }

            var name = line[..nameLength];

            var (valueStart, valueLength) = SipSyntax.Trim(line, colon + 1, line.Length - colon - 1);
            var field = new HeaderField(
                HeaderNames.Classify(name),
                new TextRange(position, nameLength),
                new TextRange(position + valueStart, valueLength),
                new TextRange(position, lineEnd - position));
            headers.Add(field);
            if (field.Kind != HeaderKind.Other)
            {
                // Most of a message's headers are none the proxy reads.
                ReadKnownHeader(span, headers.Count - 1, in field, message, limits);
            }

            position = lineEnd;
        }
    }

    private static void ReadKnownHeader(ReadOnlySpan<byte> span, int index, in HeaderField field, SipMessage message, SipParseLimits limits)
    {
        var value = field.Value.Of(span);
        switch (field.Kind)
        {
            case HeaderKind.Via:
                var hadVia = message.MutableVias.Count > 0;
                AddListValues(span, index, field, message.MutableVias);
                if (!hadVia && message.MutableVias.Count > 0)
                {
                    ReadTopVia(span, message);
                }

                if (message.MutableVias.Count > limits.MaxVias)
                {
                    Fail(message, SipParseError.TooManyVias);
                }

                break;
            case HeaderKind.Route:
                AddListValues(span, index, field, message.MutableRoutes);
                break;
            case HeaderKind.RecordRoute:
                AddListValues(span, index, field, message.MutableRecordRoutes);
                break;
            case HeaderKind.MaxForwards:
                ReadMaxForwards(value, index, message);
                break;
            case HeaderKind.CallId when message.CallId.IsPresent:
                Fail(message, SipParseError.CallIdRepeated);
                break;
            case HeaderKind.CallId:
                message.CallId = field.Value;
                break;
            case HeaderKind.CSeq:
                ReadCSeq(value, message);
                break;
            case HeaderKind.From:
                ReadNameAddress(value, field, message, isFrom: true);
                break;
            case HeaderKind.To:
                ReadNameAddress(value, field, message, isFrom: false);
                break;
            case HeaderKind.ContentLength:
                if (!SipSyntax.TryParseDigits(value, out var contentLength))
                {
                    Fail(message, SipParseError.ContentLengthNotNumber);
                }
                else if (message.ContentLength >= 0 && message.ContentLength != contentLength)
                {
                    // RFC 4475 §3.3.9: two lengths leave the body's end ambiguous, which smuggles messages.
                    Fail(message, SipParseError.ContentLengthConflicting);
                }
                else
                {
                    message.ContentLength = contentLength;
                }

                break;
        }
    }

    /// <summary>
    /// Parses the top Via and reads its parameters once for the branch (the transaction layer, the loop check, the
    /// forwarder) and for rport and received (the forwarder's stamp, the response's way back).
    /// </summary>
    private static void ReadTopVia(ReadOnlySpan<byte> span, SipMessage message)
    {
        var range = message.MutableVias[0].Value;
        var text = range.Of(span);
        if (!Via.TryParse(text, out var via))
        {
            return;
        }

        message.TopVia = via;
        message.HasWellFormedTopVia = true;
        var (parametersOffset, _) = via.Parameters.GetOffsetAndLength(text.Length);
        var parameters = text[via.Parameters];
        var valueOffset = range.Offset + parametersOffset;
        var position = 0;
        while (SipParameters.TryReadNext(parameters, ref position, out var name, out var value))
        {
            // The first of each name counts, as a search for that name alone would find it.
            var nameText = parameters[name];
            var (offset, length) = value.GetOffsetAndLength(parameters.Length);
            var found = new TextRange(valueOffset + offset, length);
            if (!message.TopViaBranch.IsPresent && SipSyntax.EqualsIgnoreCase(nameText, "branch"u8))
            {
                message.TopViaBranch = found;
            }
            else if (!message.TopViaRport.IsPresent && SipSyntax.EqualsIgnoreCase(nameText, "rport"u8))
            {
                message.TopViaRport = found;
            }
            else if (!message.TopViaReceived.IsPresent && SipSyntax.EqualsIgnoreCase(nameText, "received"u8))
            {
                message.TopViaReceived = found;
            }
        }
    }

    private static void ReadMaxForwards(ReadOnlySpan<byte> value, int index, SipMessage message)
    {
        if (message.MaxForwardsHeader >= 0)
        {
            Fail(message, SipParseError.MaxForwardsRepeated);
        }
        else if (SipSyntax.TryParseDigits(value, out var maxForwards) && maxForwards <= 255)
        {
            message.MaxForwards = maxForwards;
            message.MaxForwardsHeader = index;
        }
        else
        {
            Fail(message, SipSyntax.IsDigits(value) ? SipParseError.MaxForwardsOutOfRange : SipParseError.MaxForwardsNotNumber);
        }
    }

    /// <summary>From and To: the first one counts, a second is a fault; the tag is read even from a malformed value so a 400 can echo it.</summary>
    private static void ReadNameAddress(ReadOnlySpan<byte> value, HeaderField field, SipMessage message, bool isFrom)
    {
        if (isFrom ? message.From.IsPresent : message.To.IsPresent)
        {
            Fail(message, isFrom ? SipParseError.FromRepeated : SipParseError.ToRepeated);
            return;
        }

        var wellFormed = NameAddress.IsWellFormed(value, out var parameters);
        if (!wellFormed)
        {
            Fail(message, isFrom ? SipParseError.FromMalformed : SipParseError.ToMalformed);
        }

        if (isFrom)
        {
            message.From = field.Value;
            message.FromTag = Tag(value, field.Value.Offset, wellFormed, parameters);
        }
        else
        {
            message.To = field.Value;
            message.ToTag = Tag(value, field.Value.Offset, wellFormed, parameters);
        }
    }

    /// <param name="parameters">The header parameters of a well-formed value; a malformed one is split here.</param>
    private static TextRange Tag(ReadOnlySpan<byte> value, int valueOffset, bool wellFormed, Range parameters)
    {
        if (!wellFormed && !NameAddress.TrySplit(value, out _, out parameters))
        {
            return TextRange.None;
        }

        var (parametersOffset, parametersLength) = parameters.GetOffsetAndLength(value.Length);
        if (!SipParameters.TryFind(value.Slice(parametersOffset, parametersLength), "tag"u8, out var tag))
        {
            return TextRange.None;
        }

        var (offset, length) = tag.GetOffsetAndLength(parametersLength);
        return length == 0 ? TextRange.None : new TextRange(valueOffset + parametersOffset + offset, length);
    }

    private static void ReadCSeq(ReadOnlySpan<byte> value, SipMessage message)
    {
        if (message.HasCSeq)
        {
            Fail(message, SipParseError.CSeqRepeated);
            return;
        }

        message.HasCSeq = true;
        var space = value.IndexOfAny(" \t\r\n"u8);
        if (space <= 0 || !SipSyntax.TryParseDigits(value[..space], out var number))
        {
            Fail(message, space > 0 && SipSyntax.IsDigits(value[..space]) ? SipParseError.CSeqNumberTooLarge : SipParseError.CSeqMalformed);
            return;
        }

        var (methodStart, methodLength) = SipSyntax.Trim(value, space, value.Length - space);
        var method = value.Slice(methodStart, methodLength);
        if (!SipSyntax.IsToken(method))
        {
            Fail(message, SipParseError.CSeqMalformed);
            return;
        }

        message.CSeqNumber = number;
        message.CSeqMethod = SipMethods.Classify(method);
        if (message.IsRequest && message.MethodToken.IsPresent && !method.SequenceEqual(message[message.MethodToken]))
        {
            Fail(message, SipParseError.CSeqMethodMismatch);
        }
    }

    private static void AddListValues(ReadOnlySpan<byte> span, int index, HeaderField field, List<HeaderValue> values)
    {
        var start = field.Value.Offset;
        var end = field.Value.End;
        while (start < end)
        {
            var separator = SipSyntax.IndexOfListSeparator(span[start..end]);
            var elementEnd = separator < 0 ? end : start + separator;
            var (trimmedStart, trimmedLength) = SipSyntax.Trim(span, start, elementEnd - start);
            if (trimmedLength > 0)
            {
                values.Add(new HeaderValue(index, new TextRange(trimmedStart, trimmedLength)));
            }

            start = elementEnd + 1;
        }
    }

    private static void CheckMandatoryHeaders(SipMessage message)
    {
        var span = message.Span;
        if (message.MutableVias.Count == 0)
        {
            Fail(message, SipParseError.ViaMissing);
        }
        else if (!message.HasWellFormedTopVia)
        {
            Fail(message, SipParseError.ViaMalformed);
        }
        else
        {
            var vias = message.MutableVias;
            for (var i = 1; i < vias.Count; i++)
            {
                if (!Via.TryParse(vias[i].Value.Of(span), out _))
                {
                    Fail(message, SipParseError.ViaMalformed);
                    break;
                }
            }
        }

        if (!message.CallId.IsPresent || message.CallId.Length == 0)
        {
            Fail(message, SipParseError.CallIdMissing);
        }

        if (!message.HasCSeq)
        {
            Fail(message, SipParseError.CSeqMissing);
        }

        if (!message.From.IsPresent)
        {
            Fail(message, SipParseError.FromMissing);
        }

        if (!message.To.IsPresent)
        {
            Fail(message, SipParseError.ToMissing);
        }

        if (!message.IsRequest)
        {
            message.Method = message.CSeqMethod;
        }
    }

    private static void FrameBody(ReadOnlySpan<byte> span, int bodyOffset, SipMessage message)
    {
        var available = span.Length - bodyOffset;
        message.BodyOffset = bodyOffset;
        if (message.ContentLength < 0)
        {
            message.BodyLength = available;
            return;
        }

        // RFC 3261 §18.3: over UDP a larger Content-Length is an error; a smaller one truncates the body.
        if (message.ContentLength > available)
        {
            Fail(message, SipParseError.ContentLengthExceedsMessage);
            message.BodyLength = available;
            return;
        }

        message.BodyLength = message.ContentLength;
    }
}
