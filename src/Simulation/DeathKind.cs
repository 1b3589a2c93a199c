namespace OrleansProxy.Simulation;

/// <summary>How the active member dies.</summary>
public enum DeathKind : byte
{
    /// <summary>A hung process: the socket stays open and everything sent to it is ignored.</summary>
    Freeze = 0,

    /// <summary>A crashed process: the socket is closed, so the kernel answers UDP datagrams with ICMP port unreachable.</summary>
    ClosePort,
}
