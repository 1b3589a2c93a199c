using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Parsing;

/// <summary>Maps a header name, long or compact form (RFC 3261 §7.3.3), case-insensitively to the kinds a proxy cares about.</summary>
public static class HeaderNames
{
    public static HeaderKind Classify(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return HeaderKind.Other;
        }

        if (name.Length == 1)
        {
            return (name[0] | 0x20) switch
            {
                'v' => HeaderKind.Via,
                'f' => HeaderKind.From,
                't' => HeaderKind.To,
                'i' => HeaderKind.CallId,
                'm' => HeaderKind.Contact,
                'l' => HeaderKind.ContentLength,
                'c' => HeaderKind.ContentType,
                _ => HeaderKind.Other,
            };
        }

        // Length and first letter pick the one name to compare, so a header is compared once, and an unknown one
        // (most of a message) seldom at all.
        return (name.Length, name[0] | 0x20) switch
        {
            (2, 't') when SipSyntax.EqualsIgnoreCase(name, "To"u8) => HeaderKind.To,
            (3, 'v') when SipSyntax.EqualsIgnoreCase(name, "Via"u8) => HeaderKind.Via,
            (4, 'f') when SipSyntax.EqualsIgnoreCase(name, "From"u8) => HeaderKind.From,
            (4, 'c') when SipSyntax.EqualsIgnoreCase(name, "CSeq"u8) => HeaderKind.CSeq,
            (5, 'r') when SipSyntax.EqualsIgnoreCase(name, "Route"u8) => HeaderKind.Route,
            (7, 'c') when SipSyntax.EqualsIgnoreCase(name, "Call-ID"u8) => HeaderKind.CallId,
            (7, 'c') when SipSyntax.EqualsIgnoreCase(name, "Contact"u8) => HeaderKind.Contact,
            (12, 'm') when SipSyntax.EqualsIgnoreCase(name, "Max-Forwards"u8) => HeaderKind.MaxForwards,
            (12, 'r') when SipSyntax.EqualsIgnoreCase(name, "Record-Route"u8) => HeaderKind.RecordRoute,
            (12, 'c') when SipSyntax.EqualsIgnoreCase(name, "Content-Type"u8) => HeaderKind.ContentType,
            (13, 'p') when SipSyntax.EqualsIgnoreCase(name, "Proxy-Require"u8) => HeaderKind.ProxyRequire,
            (14, 'c') when SipSyntax.EqualsIgnoreCase(name, "Content-Length"u8) => HeaderKind.ContentLength,
            (19, 'p') when SipSyntax.EqualsIgnoreCase(name, "Proxy-Authorization"u8) => HeaderKind.ProxyAuthorization,
            _ => HeaderKind.Other,
        };
    }
}
