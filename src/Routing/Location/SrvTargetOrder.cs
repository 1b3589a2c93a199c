namespace OrleansProxy.Routing.Location;

/// <summary>
/// The order RFC 2782 asks a client to try SRV targets in: lowest priority first; within one priority, a weighted
/// random order, where each remaining target comes next with a chance proportional to its weight.
/// </summary>
internal static class SrvTargetOrder
{
    public static List<SrvTarget> Arrange(IEnumerable<SrvTarget> targets, Random random)
    {
        var ordered = new List<SrvTarget>();
        foreach (var samePriority in targets.GroupBy(target => target.Priority).OrderBy(group => group.Key))
        {
            // RFC 2782 puts zero-weight targets at the front, so that the draw of 0 picks them: they keep a small
            // chance to come first instead of none.
            var remaining = samePriority.OrderBy(target => target.Weight == 0 ? 0 : 1).ToList();
            while (remaining.Count > 0)
            {
                var index = DrawWeighted(remaining, random);
                ordered.Add(remaining[index]);
                remaining.RemoveAt(index);
            }
        }

        return ordered;
    }

    private static int DrawWeighted(List<SrvTarget> remaining, Random random)
    {
        var totalWeight = 0;
        foreach (var target in remaining)
        {
            totalWeight += target.Weight;
        }

        var draw = random.Next(totalWeight + 1);
        var runningWeight = 0;
        for (var i = 0; i < remaining.Count; i++)
        {
            runningWeight += remaining[i].Weight;
            if (runningWeight >= draw)
            {
                return i;
            }
        }

        return remaining.Count - 1;
    }
}
