namespace OrleansProxy.Sip.Tests.Fuzzing;

public enum MutationKind
{
    Replace,
    Insert,
    Delete,
    Duplicate,
    Truncate,
    InsertInteresting,
}
