namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Admin": the admin HTTP API.</summary>
internal sealed class AdminOptions : ISectionOptions
{
    /// <summary>The only address Kestrel listens on; port 0 picks a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8060";

    /// <summary>"text" (readable console lines) or "json" (compact JSON, one event a line, for log shippers).</summary>
    public string LogFormat { get; set; } = "text";

    public void ReadFrom(SectionReader section)
    {
        Url = section.Text(nameof(Url)) ?? Url;
        LogFormat = section.Text(nameof(LogFormat)) ?? LogFormat;
    }


    /// <returns>The URL, null when it is at fault; the log format, text when it is at fault.</returns>
    public (Uri? Url, LogFormat LogFormat) Validate(SectionFaults section) => (ValidateUrl(section), ValidateLogFormat(section));

    private Uri? ValidateUrl(SectionFaults section)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            section.Add(nameof(Url), $"'{Url}' is not an http:// URL, e.g. http://127.0.0.1:8060");
            return null;
        }

        // A host name other than localhost would make Kestrel bind every interface.
        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && !uri.IsLoopback)
        {
            section.Add(nameof(Url), $"'{Url}': the host must be an IP address or localhost");
            return null;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            section.Add(nameof(Url), $"'{Url}' must not have a path, query or user name");
            return null;
        }

        return uri;
    }

    private LogFormat ValidateLogFormat(SectionFaults section)
    {
        if (string.Equals(LogFormat, "text", StringComparison.OrdinalIgnoreCase))
        {
            return Configuration.LogFormat.Text;
        }

        if (string.Equals(LogFormat, "json", StringComparison.OrdinalIgnoreCase))
        {
            return Configuration.LogFormat.Json;
        }

        section.Add(nameof(LogFormat), $"'{LogFormat}' is not text or json");
        return Configuration.LogFormat.Text;
    }
}
