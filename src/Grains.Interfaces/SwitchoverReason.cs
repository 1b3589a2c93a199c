namespace OrleansProxy.Grains;

/// <summary>The evidence a switchover was made on; transaction failures are hints, never a reason.</summary>
[GenerateSerializer, Alias("OrleansProxy.SwitchoverReason")]
public enum SwitchoverReason
{
    /// <summary>The active member missed FailuresToDown probes while the other served.</summary>
    ActiveDown = 0,

    /// <summary>No member served; this one was the first to serve again.</summary>
    FirstToRecover = 1,

    /// <summary>A request arrived from the standby member.</summary>
    TrafficFromStandby = 2,

    /// <summary>An operator asked for it.</summary>
    Manual = 3,

    /// <summary>The active member answered its probes without a serving code while the other served.</summary>
    ActiveNotServing = 5,
}
