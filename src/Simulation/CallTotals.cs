namespace OrleansProxy.Simulation;

/// <summary>Totals of a caller's run.</summary>
/// <param name="FailuresByStatus">Failed calls by <see cref="CallResult.FailureStatus"/> (0: no answer).</param>
public sealed record CallTotals(int Placed, int Completed, int Failed, IReadOnlyDictionary<int, int> FailuresByStatus)
{
    public static CallTotals Of(IReadOnlyList<CallResult> calls)
    {
        var completed = 0;
        var failures = new SortedDictionary<int, int>();
        foreach (var call in calls)
        {
            if (call.Succeeded)
            {
                completed++;
            }
            else
            {
                failures[call.FailureStatus] = failures.GetValueOrDefault(call.FailureStatus) + 1;
            }
        }

        return new CallTotals(calls.Count, completed, calls.Count - completed, failures);
    }
}
