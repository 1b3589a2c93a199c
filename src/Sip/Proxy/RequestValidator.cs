using System.Text;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// The checks of RFC 3261 §16.3 that refuse a request before it is routed, for the stateless and the stateful core
/// alike. Syntax and size (step 1) are the parser's, with the proxy's limits; the URI scheme (step 2) is checked where
/// the target is found. Each refusal names the status and reason the caller is answered with.
/// </summary>
internal sealed class RequestValidator
{
    private readonly ProxyIdentity identity;

    public RequestValidator(ProxyIdentity identity)
    {
        this.identity = identity;
    }

    /// <summary>
    /// Steps 5 and 4, which need nothing of the route: a Proxy-Require names an extension this proxy supports none of
    /// (420, its values listed in Unsupported), or the request carries a Via of ours whose branch says it has been
    /// here in this very form (482).
    /// </summary>
    /// <param name="extraHeaders">The Unsupported lines of a 420; empty otherwise.</param>
    public bool TryRefuse(SipMessage request, out int statusCode, out string reasonPhrase, out ReadOnlyMemory<byte> extraHeaders)
    {
        if (HasProxyRequire(request, out extraHeaders))
        {
            (statusCode, reasonPhrase) = (420, "Bad Extension");
            return true;
        }

        if (IsLoop(request))
        {
            (statusCode, reasonPhrase) = (482, "Loop Detected");
            return true;
        }

        (statusCode, reasonPhrase) = (0, string.Empty);
        return false;
    }

    /// <summary>Step 3: a request with no hops left is answered 483 Too Many Hops rather than forwarded.</summary>
    public static bool HasNoHopsLeft(SipMessage request) => request.MaxForwards == 0;

    private static bool HasProxyRequire(SipMessage request, out ReadOnlyMemory<byte> unsupportedLines)
    {
        unsupportedLines = default;
        StringBuilder? lines = null;
        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (header.Kind == HeaderKind.ProxyRequire && header.Value.Length > 0)
            {
                lines ??= new StringBuilder();
                lines.Append("Unsupported: ").Append(Encoding.ASCII.GetString(request[header.Value])).Append("\r\n");
            }
        }

        if (lines is null)
        {
            return false;
        }

        unsupportedLines = Encoding.ASCII.GetBytes(lines.ToString());
        return true;
    }

    private bool IsLoop(SipMessage request)
    {
        var span = request.Span;
        var vias = request.Vias;
        for (var i = 0; i < vias.Count; i++)
        {
            var text = vias[i].Value.Of(span);

            // The top Via was parsed with the message; a request from a phone seldom has another.
            var via = request.TopVia;
            var parsed = i == 0 ? request.HasWellFormedTopVia : Via.TryParse(text, out via);
            if (parsed && identity.IsOwnSentBy(text, via)
                && via.TryGetParameter(text, "branch"u8, out var branch) && BranchGenerator.IsLoop(request, text[branch]))
            {
                return true;
            }
        }

        return false;
    }
}
