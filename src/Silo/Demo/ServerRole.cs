namespace OrleansProxy.Silo.Demo;

internal enum ServerRole
{
    Active,

    /// <summary>Silent to OPTIONS until promoted, as some HA servers are.</summary>
    Standby,

    /// <summary>Gone for good: the socket is closed.</summary>
    Crashed,
}
