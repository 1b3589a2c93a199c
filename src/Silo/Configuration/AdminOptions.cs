namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Admin": the admin HTTP API.</summary>
internal sealed class AdminOptions
{
    /// <summary>The only address Kestrel listens on; port 0 picks a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8060";

    /// <summary>"text" (readable console lines) or "json" (compact JSON, one event a line, for log shippers).</summary>
    public string LogFormat { get; set; } = "text";
}
