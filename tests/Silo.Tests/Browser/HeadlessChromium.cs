using System.Diagnostics;

namespace OrleansProxy.Silo.Tests.Browser;

/// <summary>Debian's chromium, headless, with a throw-away profile and no background traffic.</summary>
internal static class HeadlessChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // Virtual time lets the page's scripts fetch and render before the DOM is dumped; network waits pause it.
    private const string VirtualTimeBudgetMs = "6000";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static async Task<string> DumpDomAsync(Uri page) => await RunAsync(page, "--dump-dom");

    public static async Task ScreenshotAsync(Uri page, string path) =>
        await RunAsync(page, $"--screenshot={path}", "--window-size=1240,1100", "--hide-scrollbars");

    private static async Task<string> RunAsync(Uri page, params string[] action)
    {
        var profile = Directory.CreateTempSubdirectory("orleans-proxy-chromium-");
        try
        {
            var start = new ProcessStartInfo(ExecutablePath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in (string[])
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    $"--user-data-dir={profile.FullName}", $"--virtual-time-budget={VirtualTimeBudgetMs}",
                    .. action, page.ToString(),
                ])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await error}");
            return await output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
