using OrleansProxy.Grains;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>How a wait in the <see cref="RequestHold"/> ended: a route to send to, or why not.</summary>
internal readonly record struct HoldOutcome(PairRoute? Route, string? RefusedBecause)
{
    public static HoldOutcome Released(PairRoute route) => new(route, null);

    public static HoldOutcome Refused(string reason) => new(null, reason);
}
