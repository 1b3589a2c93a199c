namespace OrleansProxy.Sip.Parsing;

/// <summary>Why a message was refused. <see cref="SipParseErrors"/> maps each to a status code and a reason phrase.</summary>
public enum SipParseError : byte
{
    None = 0,
    Empty,
    MessageTooLarge,
    StartLineMalformed,
    UnsupportedVersion,
    StatusCodeInvalid,
    RequestUriMalformed,
    HeaderLineMalformed,
    HeaderLineTooLong,
    TooManyHeaders,
    HeadersUnterminated,
    ViaMissing,
    ViaMalformed,
    TooManyVias,
    CallIdMissing,
    CSeqMissing,
    CSeqMalformed,
    CSeqMethodMismatch,
    FromMissing,
    ToMissing,
    MaxForwardsNotNumber,
    ContentLengthNotNumber,
    ContentLengthExceedsMessage,
    ContentLengthMissing,
    ContentLengthConflicting,
}
