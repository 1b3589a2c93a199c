namespace OrleansProxy.Simulation;

/// <summary>The one request a member that has just taken over sends, as some HA servers do to tell their proxies at once.</summary>
public enum TakeoverAnnouncement : byte
{
    None = 0,

    /// <summary>An OPTIONS whose Request-URI addresses the proxy itself.</summary>
    OptionsToProxy,

    /// <summary>An OPTIONS sent through the proxy (loose route) to <see cref="SimulatedHaPairOptions.AnnouncementTarget"/>.</summary>
    RequestThroughProxy,
}
