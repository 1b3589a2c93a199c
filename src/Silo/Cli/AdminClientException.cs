namespace OrleansProxy.Silo.Cli;

/// <summary>A CLI request to the admin API failed; the message is written to the operator as it is.</summary>
internal sealed class AdminClientException : Exception
{
    public AdminClientException(string message)
        : base(message)
    {
    }

    public AdminClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
