

namespace OrleansProxy.Silo.Admin;

/// <summary>The body of /readyz: the verdict and the checks it was made from.</summary>
internal sealed record ReadinessReport(bool Ready, string Configuration, string Listeners, string Silo, string WarmUp, bool Draining);
