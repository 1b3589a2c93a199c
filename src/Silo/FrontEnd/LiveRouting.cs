using OrleansProxy.Routing.Pairs;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// The routing snapshot in force. Readers take <see cref="Current"/> once per transaction without a lock; a reload
/// publishes a new snapshot with one reference write. While a reload is under way the snapshot being brought in is
/// <see cref="Staged"/>, so that the new pairs' grains can probe their members before any request is routed to them.
/// </summary>
internal sealed class LiveRouting(RoutingSnapshot initial)
{
    private volatile RoutingSnapshot _current = initial;
    private volatile RoutingSnapshot? _staged;
    private volatile RoutingSnapshot? _previous;

    public RoutingSnapshot Current => _current;

    public RoutingSnapshot? Staged => _staged;

    /// <summary>
    /// A member of the pairs in force, of the pairs being brought in, or of the pairs just taken out: probes and the
    /// transactions still under way of a removed pair name members the current snapshot no longer has.
    /// </summary>
    public PairMember? FindMember(string address) =>
        _current.Directory.Find(address) ?? _staged?.Directory.Find(address) ?? _previous?.Directory.Find(address);

    public void Stage(RoutingSnapshot next) => _staged = next;

    public void Publish(RoutingSnapshot next)
    {
        _previous = _current;
        _current = next;
        _staged = null;
    }

    /// <summary>The removed pairs' grains have stopped probing: their members need not be found any longer.</summary>
    public void ForgetPrevious() => _previous = null;

    public void Unstage() => _staged = null;
}
