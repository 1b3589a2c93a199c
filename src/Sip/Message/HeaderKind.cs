namespace OrleansProxy.Sip.Message;

/// <summary>The headers a proxy reads or rewrites; every other header is <see cref="Other"/> and passes through untouched.</summary>
public enum HeaderKind : byte
{
    Other = 0,
    Via,
    MaxForwards,
    Route,
    RecordRoute,
    CallId,
    CSeq,
    From,
    To,
    Contact,
    ContentLength,
    ContentType,
    ProxyRequire,
    ProxyAuthorization,
}
