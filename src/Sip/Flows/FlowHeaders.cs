using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Flows;

/// <summary>
/// Header lines naming this proxy with a flow token in the URI's user part, written straight into a forwarded request's
/// edits: the Path of a REGISTER (RFC 3327, RFC 5626 §5.1), or the Record-Route of a dialog-creating request whose user
/// agent is reached over a flow (RFC 5626 §5.3), so that later requests for that user agent come back to this instance
/// and go out over its flow. Each URI names a listener of this instance, not the pool: only this instance holds the flow.
/// </summary>
internal readonly struct FlowHeaders
{
    // "Record-Route: <sip:" + token + "@" + [IPv6]:port + ";transport=tcp;lr;ob>\r\n"
    private const int MaxLineLength = 19 + FlowTokens.MaxLength + 1 + 47 + 14 + 3 + 3 + 3;

    private readonly FlowTokens? tokens;
    private readonly Flow flow;
    private readonly bool hasFlow;
    private readonly LocalHop? first;
    private readonly LocalHop? second;
    private readonly bool isPath;
    private readonly bool outbound;
    private readonly bool addSupportedPath;

    private FlowHeaders(FlowTokens tokens, Flow flow, bool hasFlow, LocalHop first, LocalHop? second, bool isPath, bool outbound, bool addSupportedPath)
    {
        this.tokens = tokens;
        this.flow = flow;
        this.hasFlow = hasFlow;
        this.first = first;
        this.second = second;
        this.isPath = isPath;
        this.outbound = outbound;
        this.addSupportedPath = addSupportedPath;
    }

    public bool IsEmpty => first is null;

    /// <summary>Enough for every byte <see cref="Write"/> adds.</summary>
    public int MaxLength => IsEmpty ? 0 : (second is null ? 1 : 2) * MaxLineLength + (addSupportedPath ? SupportedPath.Length : 0);

    private static ReadOnlySpan<byte> SupportedPath => "Supported: path\r\n"u8;

    /// <summary>
    /// The Path of a REGISTER leaving on <paramref name="hop"/>. It names the flow the REGISTER came on when it is still
    /// open, with <c>ob</c> when that flow is the user agent's own (one Via): this proxy is its edge proxy then.
    /// </summary>
    /// <param name="addSupportedPath">Also add <c>Supported: path</c>, when the user agent did not list it.</param>
    public static FlowHeaders Path(FlowTokens tokens, Flow? arrival, LocalHop hop, bool outbound, bool addSupportedPath) =>
        new(tokens, arrival.GetValueOrDefault(), arrival.HasValue, hop, null, isPath: true, outbound, addSupportedPath);

    /// <summary>The Record-Route of a dialog whose user agent is on <paramref name="flow"/>: one entry, or two when the request changes listener (RFC 5658).</summary>
    public static FlowHeaders RecordRoute(FlowTokens tokens, Flow flow, LocalHop inbound, LocalHop outboundHop) =>
        new(tokens, flow, hasFlow: true, outboundHop, ReferenceEquals(inbound, outboundHop) ? null : inbound, isPath: false, outbound: false, addSupportedPath: false);

    public void Write(SipMessage request, ref MessageEdits edits)
    {
        WriteLine(first!, request.HeadersOffset, ref edits);
        if (second is not null)
        {
            WriteLine(second, request.HeadersOffset, ref edits);
        }

        if (addSupportedPath)
        {
            edits.Insert(request.HeadersOffset, SupportedPath);
        }
    }

    private void WriteLine(LocalHop hop, int offset, ref MessageEdits edits)
    {
        var line = edits.Reserve(MaxLineLength);
        var name = isPath ? "Path: <sip:"u8 : "Record-Route: <sip:"u8;
        name.CopyTo(line);
        var length = name.Length;
        var tokenLength = hasFlow ? tokens!.Write(flow, line[length..]) : 0;
        if (tokenLength > 0)
        {
            length += tokenLength;
            line[length++] = (byte)'@';
        }

        length += Append(line[length..], hop.SentBy);
        length += hop.Transport switch
        {
            SipTransportKind.Tcp => Append(line[length..], ";transport=tcp"u8),
            SipTransportKind.Tls => Append(line[length..], ";transport=tls"u8),
            _ => 0,
        };
        length += Append(line[length..], ";lr"u8);
        if (outbound)
        {
            length += Append(line[length..], ";ob"u8);
        }

        length += Append(line[length..], ">\r\n"u8);
        edits.Commit(offset, 0, length);
    }

    private static int Append(Span<byte> destination, ReadOnlySpan<byte> text)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
