using System.Diagnostics;

namespace OrleansProxy.Silo.Tests.Hosting;

/// <summary>The built orleans-proxy executable, as an operator runs it.</summary>
public sealed class ExecutableTests
{
    [Fact]
    public async Task Run_BadConfiguration_ExitCode2AndOneStandardErrorLinePerFault()
    {
        // The SDK names the dotnet host it runs tests with; the PATH may hold another one.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "orleans-proxy.dll"),
                "--Proxy:Probe:TimeoutMs=900",
                "--Proxy:Admin:Url=ftp://127.0.0.1",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.Equal(ExitCodes.BadUsage, process.ExitCode);
        Assert.Equal(string.Empty, await output);
        Assert.Equal(
            [
                "config error: Proxy:Probe:TimeoutMs: must be less than Proxy:Probe:IntervalMs (900 >= 500)",
                "config error: Proxy:Admin:Url: 'ftp://127.0.0.1' is not an http:// URL, e.g. http://127.0.0.1:8060",
            ],
            (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
