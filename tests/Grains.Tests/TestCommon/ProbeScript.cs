namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>How <see cref="ScriptableProber"/> treats probes of one member.</summary>
public enum ProbeScript
{
    /// <summary>Waits out the time-out and reports no answer.</summary>
    Silent,

    /// <summary>Answers at once with 200.</summary>
    Answer,

    /// <summary>The probe itself fails with an exception.</summary>
    Throw,
}
