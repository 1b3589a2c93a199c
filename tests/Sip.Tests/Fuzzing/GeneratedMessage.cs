namespace OrleansProxy.Sip.Tests.Fuzzing;

/// <summary>A valid request built by <see cref="SipGenerators"/>: its wire text and each header line as written.</summary>
public sealed record GeneratedMessage(string StartLine, IReadOnlyList<string> HeaderLines, string Body)
{
    public byte[] Wire() => System.Text.Encoding.ASCII.GetBytes(StartLine + "\r\n" + string.Concat(HeaderLines.Select(line => line + "\r\n")) + "\r\n" + Body);

    public override string ToString() => System.Text.Encoding.ASCII.GetString(Wire());
}
