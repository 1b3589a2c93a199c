namespace OrleansProxy.Silo;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The host failed to start or stopped on an error.</summary>
    public const int Failed = 1;

    /// <summary>Unknown verb or a bad configuration; nothing was started.</summary>
    public const int BadUsage = 2;
}
