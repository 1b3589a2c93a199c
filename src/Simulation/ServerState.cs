namespace OrleansProxy.Simulation;

public enum ServerState : byte
{
    Active = 0,
    Standby,

    /// <summary>Killed (<see cref="SimulatedServer.Death"/> says how); comes back only as the standby.</summary>
    Dead,
}
