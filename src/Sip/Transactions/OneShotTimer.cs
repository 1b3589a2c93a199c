namespace OrleansProxy.Sip.Transactions;

/// <summary>Arms a single-shot timer on the transaction's clock that calls back into its owner.</summary>
internal static class OneShotTimer
{
    public static ITimer Arm<TOwner>(TimeProvider time, TOwner owner, Action<TOwner> callback, TimeSpan due)
        where TOwner : class =>
        time.CreateTimer(static state => ((Callback<TOwner>)state!).Fire(), new Callback<TOwner>(owner, callback), due, Timeout.InfiniteTimeSpan);

    private sealed class Callback<TOwner>(TOwner owner, Action<TOwner> callback)
    {
        public void Fire() => callback(owner);
    }
}
