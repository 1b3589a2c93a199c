using System.Net;

namespace OrleansProxy.Simulation;

/// <summary>A call the caller set up and acknowledged, to be ended with <see cref="SimulatedCaller.HangUpAsync"/>.</summary>
public sealed class EstablishedCall
{
    internal EstablishedCall(int number, DateTimeOffset startedAt, long started, TimeSpan setupTime, Dialog dialog, IPEndPoint? answeredBy)
    {
        Number = number;
        StartedAt = startedAt;
        Started = started;
        SetupTime = setupTime;
        Dialog = dialog;
        AnsweredBy = answeredBy;
    }

    public int Number { get; }

    public string CallId => Dialog.CallId;

    /// <summary>The answering member, from the 200's Contact.</summary>
    public IPEndPoint? AnsweredBy { get; }

    public DateTimeOffset StartedAt { get; }

    public TimeSpan SetupTime { get; }

    internal long Started { get; }

    internal Dialog Dialog { get; }
}
