using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// How Route processing rewrites the Request-URI and the Route set beyond popping our own entries: strict routing
/// upstream and a maddr naming this proxy (RFC 3261 §16.4), a strict router as the next hop (§16.6 step 6). Ranges
/// into the received request, written by <see cref="HopEdits"/> as edits of its bytes. Empty (default) for the
/// usual loose-routed request.
/// </summary>
public readonly record struct RouteRewrite
{
    private const int MaxSegments = 4;

    /// <summary>
    /// §16.4: the Request-URI was our Record-Route, put there by a strict router. This is the URI of the last Route
    /// value, which becomes the Request-URI and leaves the Route set.
    /// </summary>
    public TextRange RestoredUri { get; init; }

    /// <summary>
    /// §16.4: the Request-URI's <c>;maddr=</c> parameter names this proxy, which received the request on the port and
    /// transport the URI names; it goes, with <see cref="StrippedTransport"/> and <see cref="StrippedPort"/>.
    /// </summary>
    public TextRange StrippedMaddr { get; init; }

    /// <summary>The <c>;transport=</c> parameter that goes with a maddr naming this proxy.</summary>
    public TextRange StrippedTransport { get; init; }

    /// <summary>The <c>:port</c>, when not the transport's default, that goes with a maddr naming this proxy.</summary>
    public TextRange StrippedPort { get; init; }

    /// <summary>
    /// §16.6 step 6: the URI of the next hop's Route value, which has no <c>lr</c>: a strict router. It becomes the
    /// Request-URI, and the Request-URI goes to the end of the Route set.
    /// </summary>
    public TextRange StrictRouterUri { get; init; }

    public bool IsEmpty => RestoredUri.Length == 0 && StrippedMaddr.Length == 0 && StrictRouterUri.Length == 0;

    /// <summary>The Request-URI the request is processed with (§16.4): the restored one, else its own; stripped parts included.</summary>
    public TextRange RequestUriOf(SipMessage request) => RestoredUri.Length > 0 ? RestoredUri : request.RequestUri;

    /// <summary>The Request-URI as processed (§16.4): restored, without what is stripped. Up to four ranges.</summary>
    public int RequestUriSegments(SipMessage request, Span<TextRange> segments)
    {
        var uri = RequestUriOf(request);
        Span<TextRange> stripped = [StrippedPort, StrippedMaddr, StrippedTransport];
        stripped.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        var count = 0;
        var position = uri.Offset;
        foreach (var range in stripped)
        {
            if (range.Length > 0)
            {
                segments[count++] = new TextRange(position, range.Offset - position);
                position = range.End;
            }
        }

        segments[count++] = new TextRange(position, uri.End - position);
        return count;
    }

    /// <summary>The Request-URI as processed, into <paramref name="destination"/> (as long as the request's Request-URI or restored URI).</summary>
    public int CopyRequestUri(SipMessage request, Span<byte> destination)
    {
        Span<TextRange> segments = stackalloc TextRange[MaxSegments];
        var written = 0;
        foreach (var segment in segments[..RequestUriSegments(request, segments)])
        {
            request[segment].CopyTo(destination[written..]);
            written += segment.Length;
        }

        return written;
    }

    /// <summary>The Request-URI edits; the Route values that go are removed with our own (<see cref="HopEdits"/>).</summary>
    internal void WriteRequestUri(SipMessage request, ref MessageEdits edits)
    {
        Span<TextRange> segments = stackalloc TextRange[MaxSegments];
        var processed = segments[..RequestUriSegments(request, segments)];
        var requestUri = request.RequestUri;
        if (StrictRouterUri.Length > 0)
        {
            edits.ReplaceWithOriginal(requestUri.Offset, requestUri.Length, StrictRouterUri);
            var routeSetEnd = request.Headers[request.Routes[^1].HeaderIndex].Line.End;
            edits.Insert(routeSetEnd, "Route: <"u8);
            foreach (var segment in processed)
            {
                edits.ReplaceWithOriginal(routeSetEnd, 0, segment);
            }

            edits.Insert(routeSetEnd, ">\r\n"u8);
        }
        else if (RestoredUri.Length > 0)
        {
            foreach (var segment in processed)
            {
                edits.ReplaceWithOriginal(requestUri.Offset, 0, segment);
            }

            edits.Remove(requestUri.Offset, requestUri.Length);
        }
        else
        {
            // Only stripped parts: the segments between them stay where they are.
            for (var i = 1; i < processed.Length; i++)
            {
                edits.Remove(processed[i - 1].End, processed[i].Offset - processed[i - 1].End);
            }
        }
    }
}
