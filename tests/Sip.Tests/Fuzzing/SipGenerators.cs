using FsCheck;
using FsCheck.Fluent;

namespace OrleansProxy.Sip.Tests.Fuzzing;

/// <summary>
/// FsCheck generators of valid requests: methods (extension tokens too), SIP URIs with user parameters and IPv6
/// hosts, Via lists with rport/received/maddr/ttl, display names with escapes, compact and long header names,
/// folded and comma-joined headers, unknown headers, and a body that Content-Length counts.
/// </summary>
public static class SipGenerators
{
    private const string TokenChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~";
    private const string TextChars = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~()<>@,;:/[]?={}&$#|^";

    public static Arbitrary<GeneratedMessage> Messages() => Request().ToArbitrary();

    public static Gen<GeneratedMessage> Request() =>
        from method in Gen.Elements("INVITE", "OPTIONS", "REGISTER", "BYE", "MESSAGE", "SUBSCRIBE", "NOTIFY", "INFO", "PUBLISH", "X-ODD.method")
        from uri in SipUri()
        from vias in Gen.NonEmptyListOf(ViaValue()).Select(list => list.Take(4).ToList())
        from joinVias in Gen.Elements(true, false)
        from maxForwards in Gen.Choose(1, 255)
        from caller in NameAddr()
        from fromTag in Token()
        from callee in NameAddr()
        from toTag in Gen.OneOf(Gen.Constant(string.Empty), Token().Select(t => ";tag=" + t))
        from callId in Token()
        from cseq in Gen.Choose(0, int.MaxValue)
        from extras in Gen.ListOf(ExtraHeader()).Select(list => list.Take(6).ToList())
        from body in Text(0, 200)
        from compact in Gen.Elements(true, false)
        select Assemble(method, uri, vias, joinVias, maxForwards, caller + ";tag=" + fromTag, callee + toTag, callId, cseq, extras, body, compact);

    private static GeneratedMessage Assemble(
        string method, string uri, List<string> vias, bool joinVias, int maxForwards, string from, string to, string callId, int cseq, List<string> extras, string body, bool compact)
    {
        var lines = new List<string>();
        if (joinVias)
        {
            lines.Add((compact ? "v: " : "Via: ") + string.Join(" , ", vias));
        }
        else
        {
            lines.AddRange(vias.Select(via => (compact ? "v: " : "Via: ") + via));
        }

        lines.Add($"Max-Forwards: {maxForwards}");
        lines.Add((compact ? "f: " : "From: ") + from);
        lines.Add((compact ? "t: " : "To: ") + to);
        lines.Add((compact ? "i: " : "Call-ID: ") + callId);
        lines.Add($"CSeq: {cseq} {method}");
        lines.AddRange(extras);
        lines.Add((compact ? "l: " : "Content-Length: ") + body.Length);
        return new GeneratedMessage($"{method} {uri} SIP/2.0", lines, body);
    }

    private static Gen<string> Token() => Text(1, 12, TokenChars);

    private static Gen<string> Text(int min, int max, string alphabet = TextChars) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length)
        select new string(chars);

    private static Gen<string> Host() => Gen.OneOf(
        Gen.Elements("example.com", "a.b.example.org", "gw-1.example.net", "192.0.2.1", "10.0.0.254", "[2001:db8::10]", "[::ffff:192.0.2.10]", "[2001:db8:0:0:1:0:0:1]"),
        from label in Text(1, 10, "abcdefghijklmnopqrstuvwxyz0123456789") select label + ".example.com");

    private static Gen<string> SipUri() =>
        from scheme in Gen.Elements("sip", "sips", "SIP")
        from user in Gen.OneOf(Gen.Constant(string.Empty), Text(1, 10, "abcdefghijklmnop0123456789-_.!~*'()&=+$,;?/%").Select(u => u + "@"))
        from host in Host()
        from port in Gen.OneOf(Gen.Constant(string.Empty), Gen.Choose(1, 65535).Select(p => ":" + p))
        from parameters in Gen.ListOf(Gen.Elements(";lr", ";transport=tcp", ";user=phone", ";maddr=192.0.2.7", ";x-odd=a%20b", ";ttl=16"))
        select $"{scheme}:{user}{host}{port}{string.Concat(parameters.Take(3))}";

    private static Gen<string> ViaValue() =>
        from transport in Gen.Elements("UDP", "TCP", "TLS", "SCTP", "WS")
        from space in Gen.Elements(" ", "  ", "\t")
        from host in Host()
        from port in Gen.OneOf(Gen.Constant(string.Empty), Gen.Choose(1, 65535).Select(p => ":" + p))
        from branch in Token()
        from parameters in Gen.ListOf(Gen.Elements(";rport", ";rport=5062", ";received=192.0.2.99", ";received=2001:db8::9", ";maddr=224.2.0.1", ";ttl=1", ";x-odd"))
        select $"SIP/2.0/{transport}{space}{host}{port};branch=z9hG4bK{branch}{string.Concat(parameters.Take(3))}";

    private static Gen<string> NameAddr() =>
        from display in Gen.OneOf(
            Gen.Constant(string.Empty),
            Token().Select(t => t + " "),
            Text(0, 12, "abc DEF,;:<>@").Select(t => $"\"{t}\\\" \\\\ \" "))
        from uri in Gen.OneOf(SipUri(), Gen.Elements("tel:+1-201-555-0123", "urn:service:sos", "mailto:a@example.com"))
        select $"{display}<{uri}>";

    private static Gen<string> ExtraHeader() => Gen.OneOf(
        from name in Token() from value in Text(0, 40) select $"X-{name}: {value}",
        from value in Text(1, 30) from more in Text(1, 30) select $"Subject: {value}\r\n {more}",
        from route in SipUri() from other in SipUri() select $"Record-Route: <{route}>, \"A, B\" <{other}>",
        from contact in SipUri() select $"m: \"Quoted, with comma\" <{contact}>;expires=60",
        Gen.Elements("Supported: timer, 100rel", "Require: 100rel", "Allow: INVITE, ACK, CANCEL", "Content-Type: application/sdp", "Contact: *", "Expires: 0"));
}
