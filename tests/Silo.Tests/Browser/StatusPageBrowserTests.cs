using System.Net;
using System.Text.RegularExpressions;
using OrleansProxy.Silo.Tests.Admin;
using OrleansProxy.Silo.Tests.TestSupport;

namespace OrleansProxy.Silo.Tests.Browser;

/// <summary>The status page in a real headless browser against a running node.</summary>
public sealed class StatusPageBrowserTests(OpsNodeFixture fixture) : IClassFixture<OpsNodeFixture>
{
    /// <summary>Where the screenshot lands, next to the test assembly; docs/status-page.png is a copy of one.</summary>
    public static readonly string ScreenshotPath = Path.Combine(AppContext.BaseDirectory, "screenshots", "status-page.png");

    [SkippableFact]
    public async Task StatusPage_SwitchoverThroughTheApi_PageShowsTheNewActiveMember()
    {
        Skip.IfNot(HeadlessChromium.IsInstalled, $"{HeadlessChromium.ExecutablePath} is not installed");
        await Eventually.Satisfies(
            () => fixture.GetTextAsync("/api/pairs/amber"),
            t => !t.Contains("\"health\":\"Unknown\"", StringComparison.Ordinal),
            "amber's members probed");

        var before = await HeadlessChromium.DumpDomAsync(fixture.AdminUrl);
        Assert.Equal("127.0.0.1:7230", ActiveMemberShown(before, "amber"));
        Assert.Contains("configuration not reloaded since start", before, StringComparison.Ordinal);

        using var switched = await fixture.Host.Admin.PostAsync(new Uri("/api/pairs/amber/switchover", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);

        var dom = await HeadlessChromium.DumpDomAsync(fixture.AdminUrl);
        Assert.Equal("127.0.0.1:7231", ActiveMemberShown(dom, "amber"));
        Assert.Matches(@"<strong>Manual</strong> 127\.0\.0\.1:7230 → 127\.0\.0\.1:7231", dom);
        Assert.Contains("updated ", dom, StringComparison.Ordinal);

        // The same sources read again: nothing changes, and the page says when and how it went.
        using var reloaded = await fixture.Host.Admin.PostAsync(new Uri("/api/reload", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.OK, reloaded.StatusCode);
        dom = await HeadlessChromium.DumpDomAsync(fixture.AdminUrl);
        Assert.Matches("last reload [^<]*: applied", dom);
        Assert.Equal("127.0.0.1:7231", ActiveMemberShown(dom, "amber"));

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        File.Delete(ScreenshotPath);
        await HeadlessChromium.ScreenshotAsync(fixture.AdminUrl, ScreenshotPath);
        var png = await File.ReadAllBytesAsync(ScreenshotPath);
        Assert.True(png.Length > 10_000, $"screenshot of {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    private static string ActiveMemberShown(string dom, string pair)
    {
        var match = Regex.Match(dom, $"data-pair=\"{pair}\".*?data-active=\"([^\"]+)\"", RegexOptions.Singleline);
        Assert.True(match.Success, $"pair {pair} with an active member in the page: {dom}");
        return match.Groups[1].Value;
    }
}
