namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>How <see cref="ScriptableProber"/> answers probes of one member, until the test scripts otherwise.</summary>
/// <param name="StatusCode">The SIP status of the answer; 0 for no answer.</param>
/// <param name="Delay">How long the answer takes on the test clock; no answer waits out the probe's time-out.</param>
public sealed record ProbeScript(ProbeBehaviour Behaviour, int StatusCode, TimeSpan Delay)
{
    /// <summary>No answer: waits out the time-out on the test clock.</summary>
    public static readonly ProbeScript Silent = new(ProbeBehaviour.Silent, 0, TimeSpan.Zero);

    /// <summary>Answers at once with 200: serving.</summary>
    public static readonly ProbeScript Answer = AnswerWith(200);

    /// <summary>Answers at once with 503: alive, not serving, as a hot standby does until it takes over.</summary>
    public static readonly ProbeScript Refuse = AnswerWith(503);

    /// <summary>The probe itself fails with an exception.</summary>
    public static readonly ProbeScript Throw = new(ProbeBehaviour.Throw, 0, TimeSpan.Zero);

    public static ProbeScript AnswerWith(int statusCode) => new(ProbeBehaviour.Answer, statusCode, TimeSpan.Zero);

    /// <summary>Answers after <paramref name="delay"/> of test time: a busy server that still answers.</summary>
    public static ProbeScript AnswerAfter(TimeSpan delay, int statusCode = 200) => new(ProbeBehaviour.Answer, statusCode, delay);
}

public enum ProbeBehaviour
{
    Silent,
    Answer,
    Throw,
}
