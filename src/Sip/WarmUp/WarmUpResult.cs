namespace OrleansProxy.Sip.WarmUp;

/// <param name="Calls">Synthetic calls run before the count or the time budget ran out.</param>
/// <param name="Completed">Of those, the calls whose every answer reached the caller, as in a real call.</param>
public readonly record struct WarmUpResult(int Calls, int Completed);
