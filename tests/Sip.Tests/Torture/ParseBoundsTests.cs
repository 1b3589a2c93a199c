using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Sip.Tests.Torture;

/// <summary>Each configurable bound of <see cref="SipParseLimits"/>, hit through the proxy, with the answer naming it.</summary>
public sealed class ParseBoundsTests
{
    private const string Request =
        "OPTIONS sip:user@example.com SIP/2.0\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bKbounds\n" +
        "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKb1, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKb2\n" +
        "To: <sip:user@example.com>\n" +
        "From: <sip:caller@example.net>;tag=b1\n" +
        "Max-Forwards: 70\n" +
        "Call-ID: bounds.1@127.0.0.1\n" +
        "CSeq: 1 OPTIONS\n" +
        "X-Filler: 0123456789012345678901234567890123456789\n" +
        "l: 0\n" +
        "\n";

    [Theory]
    [InlineData(nameof(SipParseLimits.MaxMessageBytes), 300, "SIP/2.0 513 Message Too Large")]
    [InlineData(nameof(SipParseLimits.MaxVias), 2, "SIP/2.0 400 Bad Request (too many Via values)")]
    [InlineData(nameof(SipParseLimits.MaxHeaderLineBytes), 60, "SIP/2.0 400 Bad Request (header line too long)")]
    [InlineData(nameof(SipParseLimits.MaxHeaders), 8, "SIP/2.0 400 Bad Request (too many headers)")]
    public async Task Limit_Exceeded_AnsweredWithTheBoundNamed(string limit, int value, string statusLine)
    {
        var limits = limit switch
        {
            nameof(SipParseLimits.MaxMessageBytes) => SipParseLimits.Default with { MaxMessageBytes = value },
            nameof(SipParseLimits.MaxVias) => SipParseLimits.Default with { MaxVias = value },
            nameof(SipParseLimits.MaxHeaderLineBytes) => SipParseLimits.Default with { MaxHeaderLineBytes = value },
            _ => SipParseLimits.Default with { MaxHeaders = value },
        };
        using var proxy = new TortureProxy(new ProxyCoreOptions { Limits = limits });

        await proxy.AssertAnsweredAsync(Request, statusLine);
    }

    [Fact]
    public async Task Limits_JustEnough_Forwarded()
    {
        var longestLine = Request.Split('\n').Max(line => line.Length) + 2;
        var limits = new SipParseLimits { MaxMessageBytes = TortureProxy.Wire(Request).Length, MaxVias = 3, MaxHeaderLineBytes = longestLine, MaxHeaders = 10 };
        using var proxy = new TortureProxy(new ProxyCoreOptions { Limits = limits });

        await proxy.AssertForwardedAsync(Request, recordRoute: false, ("Max-Forwards: 70", "Max-Forwards: 69"));
    }
}
