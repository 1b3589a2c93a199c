using System.Runtime.InteropServices;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Sip.Message;

/// <summary>
/// A parsed view over one message's bytes: the start line, the headers a proxy uses as offsets into
/// <see cref="Buffer"/>, and every other header kept as raw bytes. Nothing is copied or decoded, so the
/// forwarder can edit the original bytes. The view is only valid while the buffer is.
/// </summary>
public sealed class SipMessage
{
    private readonly List<HeaderField> headers = [];
    private readonly List<HeaderValue> vias = [];
    private readonly List<HeaderValue> routes = [];
    private readonly List<HeaderValue> recordRoutes = [];

    public ReadOnlyMemory<byte> Buffer { get; internal set; }

    public ReadOnlySpan<byte> Span => Buffer.Span;

    public bool IsRequest { get; internal set; }

    public SipMethod Method { get; internal set; }

    /// <summary>The method token of a request, or the CSeq method of a response.</summary>
    public TextRange MethodToken { get; internal set; } = TextRange.None;

    public TextRange RequestUri { get; internal set; } = TextRange.None;

    /// <summary>The Request-URI as the parser read it, once for Route processing and routing: its ranges index that URI's text.</summary>
    internal SipUri RequestUriParts { get; set; }

    /// <summary>The Request-URI parsed (false for a response, or a Request-URI that did not parse).</summary>
    internal bool HasRequestUriParts { get; set; }

    public int StatusCode { get; internal set; }

    public TextRange ReasonPhrase { get; internal set; } = TextRange.None;

    /// <summary>The start line without its line ending.</summary>
    public TextRange StartLine { get; internal set; } = TextRange.None;

    /// <summary>Offset of the first header line (just after the start line's line ending).</summary>
    public int HeadersOffset { get; internal set; }

    public IReadOnlyList<HeaderField> Headers => headers;

    /// <summary>Every Via value, topmost first, even when several share one line.</summary>
    public IReadOnlyList<HeaderValue> Vias => vias;

    /// <summary>
    /// The top Via (<see cref="Vias"/>[0]) as the parser read it, once for every reader: its ranges index that value's
    /// text. Default when <see cref="TryGetTopVia"/> is false.
    /// </summary>
    public Via TopVia { get; internal set; }

    /// <summary>The top Via parsed well formed (false too when there is no Via).</summary>
    public bool HasWellFormedTopVia { get; internal set; }

    /// <summary>The top Via's branch value, a range of the message; None when that Via is malformed or has no branch.</summary>
    public TextRange TopViaBranch { get; internal set; } = TextRange.None;

    /// <summary>The top Via's rport value (empty for the bare flag), a range of the message; None when absent or the Via is malformed.</summary>
    public TextRange TopViaRport { get; internal set; } = TextRange.None;

    /// <summary>The top Via's received value, a range of the message; None when absent or the Via is malformed.</summary>
    public TextRange TopViaReceived { get; internal set; } = TextRange.None;

    public IReadOnlyList<HeaderValue> Routes => routes;

    public IReadOnlyList<HeaderValue> RecordRoutes => recordRoutes;

    /// <summary>Index into <see cref="Headers"/>, or -1 when absent.</summary>
    public int MaxForwardsHeader { get; internal set; } = -1;

    /// <summary>-1 when absent.</summary>
    public int MaxForwards { get; internal set; } = -1;

    public TextRange CallId { get; internal set; } = TextRange.None;

    public int CSeqNumber { get; internal set; }

    /// <summary>True once a CSeq header was seen, well formed or not.</summary>
    public bool HasCSeq { get; internal set; }

    public SipMethod CSeqMethod { get; internal set; }

    public TextRange From { get; internal set; } = TextRange.None;

    public TextRange To { get; internal set; } = TextRange.None;

    public TextRange FromTag { get; internal set; } = TextRange.None;

    public TextRange ToTag { get; internal set; } = TextRange.None;

    /// <summary>-1 when absent.</summary>
    public int ContentLength { get; internal set; } = -1;

    public int BodyOffset { get; internal set; }

    /// <summary>The body length actually framed: Content-Length, or the rest of the datagram when it is absent.</summary>
    public int BodyLength { get; internal set; }

    /// <summary>The first fault found; the parser keeps going after it so that a 400 can still copy Via, From, To, Call-ID and CSeq.</summary>
    public SipParseError Error { get; internal set; }

    /// <summary>The end of the framed message: a datagram may carry bytes past Content-Length, which are not forwarded.</summary>
    public int FramedLength => BodyOffset + BodyLength;

    public bool IsInDialog => ToTag.IsPresent;

    public ReadOnlySpan<byte> this[TextRange range] => range.Of(Buffer.Span);

    /// <summary><paramref name="range"/> parsed as a URI: the parser's reading when it is the Request-URI, else parsed now.</summary>
    public bool TryParseUri(TextRange range, out SipUri uri)
    {
        if (range == RequestUri && HasRequestUriParts)
        {
            uri = RequestUriParts;
            return true;
        }

        return SipUri.TryParse(this[range], out uri);
    }

    /// <summary>The top Via's text and its parse (<see cref="TopVia"/>); false when there is no Via or it is malformed.</summary>
    public bool TryGetTopVia(out ReadOnlySpan<byte> text, out Via via)
    {
        via = TopVia;
        text = HasWellFormedTopVia ? this[vias[0].Value] : default;
        return HasWellFormedTopVia;
    }

    internal List<HeaderField> MutableHeaders => headers;

    // Spans for this assembly's hot paths: indexing a List through IReadOnlyList is an interface call per element.
    internal ReadOnlySpan<HeaderField> HeaderSpan => CollectionsMarshal.AsSpan(headers);

    internal ReadOnlySpan<HeaderValue> RouteSpan => CollectionsMarshal.AsSpan(routes);

    internal ReadOnlySpan<HeaderValue> ViaSpan => CollectionsMarshal.AsSpan(vias);

    internal List<HeaderValue> MutableVias => vias;

    internal List<HeaderValue> MutableRoutes => routes;

    internal List<HeaderValue> MutableRecordRoutes => recordRoutes;

    internal void Reset(ReadOnlyMemory<byte> buffer)
    {
        Buffer = buffer;
        headers.Clear();
        vias.Clear();
        routes.Clear();
        recordRoutes.Clear();
        TopVia = default;
        HasWellFormedTopVia = false;
        TopViaBranch = TextRange.None;
        TopViaRport = TextRange.None;
        TopViaReceived = TextRange.None;
        IsRequest = false;
        Method = SipMethod.Extension;
        MethodToken = TextRange.None;
        RequestUri = TextRange.None;
        RequestUriParts = default;
        HasRequestUriParts = false;
        StatusCode = 0;
        ReasonPhrase = TextRange.None;
        StartLine = TextRange.None;
        HeadersOffset = 0;
        MaxForwardsHeader = -1;
        MaxForwards = -1;
        CallId = TextRange.None;
        CSeqNumber = 0;
        HasCSeq = false;
        CSeqMethod = SipMethod.Extension;
        From = TextRange.None;
        To = TextRange.None;
        FromTag = TextRange.None;
        ToTag = TextRange.None;
        ContentLength = -1;
        BodyOffset = 0;
        BodyLength = 0;
        Error = SipParseError.None;
    }
}
