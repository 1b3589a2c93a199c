using System.Reflection;

namespace OrleansProxy.Silo.Admin;

/// <summary>
/// The status page at "/": static HTML, CSS and JavaScript embedded in the executable (so a single-file or
/// container deployment cannot lose them), which poll /api/pairs and /metrics from the browser.
/// </summary>
internal static class StatusPage
{
    private const string ResourcePrefix = "OrleansProxy.Silo.Admin.StatusPage.";

    private static readonly (string Path, string Resource, string ContentType)[] Assets =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/status.css", "status.css", "text/css; charset=utf-8"),
        ("/status.js", "status.js", "text/javascript; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, resource, contentType) in Assets)
        {
            var content = Read(resource);
            endpoints.MapGet(path, () => Results.Bytes(content, contentType));
        }

        return endpoints;
    }

    private static byte[] Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + resource)
            ?? throw new InvalidOperationException($"The status page asset '{resource}' is not embedded in the executable.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
