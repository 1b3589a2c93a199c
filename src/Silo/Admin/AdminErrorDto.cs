namespace OrleansProxy.Silo.Admin;

/// <summary>The body of every admin API error response.</summary>
internal sealed record AdminErrorDto(string Error);
