namespace OrleansProxy.Grains;

[GenerateSerializer, Alias("OrleansProxy.SwitchoverReason")]
public enum SwitchoverReason
{
    /// <summary>The active member missed FailuresToDown probes while the other answered.</summary>
    ActiveDown = 0,

    /// <summary>Neither member answered; this one answered first.</summary>
    FirstToRecover = 1,

    /// <summary>A request arrived from the standby member.</summary>
    TrafficFromStandby = 2,

    /// <summary>An operator asked for it.</summary>
    Manual = 3,

    /// <summary>A transaction forwarded to the active member failed: no response in time, 503, or the send failed.</summary>
    TransactionFailure = 4,
}
