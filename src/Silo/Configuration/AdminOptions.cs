namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Admin": the admin HTTP API.</summary>
internal sealed class AdminOptions
{
    /// <summary>The only address Kestrel listens on; port 0 picks a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8060";
}
