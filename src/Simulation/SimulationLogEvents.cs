namespace OrleansProxy.Simulation;

/// <summary>Event ids of the simulation's log messages, kept in one place (5000-5999 is the simulation's).</summary>
internal static class SimulationLogEvents
{
    public const int ServerStarted = 5000;
    public const int ServerDied = 5001;
    public const int ServerTookOver = 5002;
    public const int ServerRevived = 5003;
    public const int AnnouncementSent = 5004;
    public const int MalformedDropped = 5005;
    public const int ResponseUnmatched = 5006;
    public const int CallFailed = 5010;
    public const int CallerStarted = 5011;
    public const int SwitchedOver = 5012;
    public const int StoreFull = 5013;
}
