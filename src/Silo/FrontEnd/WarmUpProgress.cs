

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>Where the hot-path warm-up stands ("Proxy:Startup:WarmUp"): /readyz turns ready only once it is over.</summary>
internal sealed class WarmUpProgress(bool enabled)
{
    public const string Off = "off";
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Done = "done";

    private volatile string status = enabled ? Pending : Off;

    public string Status => status;

    public void Start() => status = Running;

    public void Finish() => status = Done;
}
