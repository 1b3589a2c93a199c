namespace OrleansProxy.Sip.Parsing;

public static class SipParseErrors
{
    public static int StatusCode(SipParseError error) => error switch
    {
        SipParseError.MessageTooLarge => 513,
        SipParseError.UnsupportedVersion => 505,
        _ => 400,
    };

    // Built once: a burst of malformed requests must not cost a string per answer.
    private static readonly string[] ReasonPhrases = Enum.GetValues<SipParseError>().Select(BuildReasonPhrase).ToArray();

    // The fault label of the parse-error counter, built once with the rest: a flood of junk must not cost a string or a
    // box per message.
    private static readonly KeyValuePair<string, object?>[] FaultTags =
        Enum.GetValues<SipParseError>().Select(error => new KeyValuePair<string, object?>("fault", error.ToString())).ToArray();

    /// <summary>The <c>fault</c> tag that <see cref="SipMetrics.ParseErrors"/> counts <paramref name="error"/> by.</summary>
    public static KeyValuePair<string, object?> FaultTag(SipParseError error) =>
        (uint)error < (uint)FaultTags.Length ? FaultTags[(int)error] : new KeyValuePair<string, object?>("fault", error.ToString());

    /// <summary>The reason phrase names the fault so the sender can fix it (e.g. "Bad Request (Max-Forwards not a number)").</summary>
    public static string ReasonPhrase(SipParseError error) =>
        (uint)error < (uint)ReasonPhrases.Length ? ReasonPhrases[(int)error] : BuildReasonPhrase(error);

    private static string BuildReasonPhrase(SipParseError error) => error switch
    {
        SipParseError.MessageTooLarge => "Message Too Large",
        SipParseError.UnsupportedVersion => "Version Not Supported",
        _ => "Bad Request (" + Describe(error) + ")",
    };

    public static string Describe(SipParseError error) => error switch
    {
        SipParseError.None => "no error",
        SipParseError.Empty => "empty message",
        SipParseError.MessageTooLarge => "message too large",
        SipParseError.StartLineMalformed => "malformed start line",
        SipParseError.UnsupportedVersion => "unsupported SIP version",
        SipParseError.StatusCodeInvalid => "status code not 3 digits",
        SipParseError.RequestUriMalformed => "malformed Request-URI",
        SipParseError.HeaderLineMalformed => "malformed header line",
        SipParseError.HeaderLineTooLong => "header line too long",
        SipParseError.TooManyHeaders => "too many headers",
        SipParseError.HeadersUnterminated => "headers not terminated by an empty line",
        SipParseError.ViaMissing => "Via missing",
        SipParseError.ViaMalformed => "malformed Via",
        SipParseError.TooManyVias => "too many Via values",
        SipParseError.CallIdMissing => "Call-ID missing",
        SipParseError.CSeqMissing => "CSeq missing",
        SipParseError.CSeqMalformed => "malformed CSeq",
        SipParseError.CSeqMethodMismatch => "CSeq method does not match the request method",
        SipParseError.FromMissing => "From missing",
        SipParseError.ToMissing => "To missing",
        SipParseError.MaxForwardsNotNumber => "Max-Forwards not a number",
        SipParseError.ContentLengthNotNumber => "Content-Length not a number",
        SipParseError.ContentLengthExceedsMessage => "Content-Length larger than the message",
        SipParseError.ContentLengthMissing => "Content-Length missing on a stream",
        SipParseError.ContentLengthConflicting => "Content-Length values disagree",
        SipParseError.RequestUriHasHeaders => "Request-URI carries headers",
        SipParseError.MaxForwardsOutOfRange => "Max-Forwards over 255",
        SipParseError.CSeqNumberTooLarge => "CSeq number not below 2**31",
        SipParseError.FromMalformed => "malformed From",
        SipParseError.ToMalformed => "malformed To",
        SipParseError.CallIdRepeated => "Call-ID repeated",
        SipParseError.CSeqRepeated => "CSeq repeated",
        SipParseError.FromRepeated => "From repeated",
        SipParseError.ToRepeated => "To repeated",
        SipParseError.MaxForwardsRepeated => "Max-Forwards repeated",
        _ => error.ToString(),
    };
}
