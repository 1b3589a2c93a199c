namespace OrleansProxy.Sip.Message;

public static class SipMethods
{
    /// <summary>Method names are case-sensitive tokens (RFC 3261 §7.1).</summary>
    public static SipMethod Classify(ReadOnlySpan<byte> token) => token switch
    {
        _ when token.SequenceEqual("INVITE"u8) => SipMethod.Invite,
        _ when token.SequenceEqual("ACK"u8) => SipMethod.Ack,
        _ when token.SequenceEqual("BYE"u8) => SipMethod.Bye,
        _ when token.SequenceEqual("CANCEL"u8) => SipMethod.Cancel,
        _ when token.SequenceEqual("OPTIONS"u8) => SipMethod.Options,
        _ when token.SequenceEqual("REGISTER"u8) => SipMethod.Register,
        _ when token.SequenceEqual("SUBSCRIBE"u8) => SipMethod.Subscribe,
        _ when token.SequenceEqual("NOTIFY"u8) => SipMethod.Notify,
        _ when token.SequenceEqual("REFER"u8) => SipMethod.Refer,
        _ when token.SequenceEqual("INFO"u8) => SipMethod.Info,
        _ when token.SequenceEqual("UPDATE"u8) => SipMethod.Update,
        _ when token.SequenceEqual("PRACK"u8) => SipMethod.Prack,
        _ when token.SequenceEqual("MESSAGE"u8) => SipMethod.Message,
        _ when token.SequenceEqual("PUBLISH"u8) => SipMethod.Publish,
        _ => SipMethod.Extension,
    };

    /// <summary>Requests that may create a dialog, and so are record-routed when they arrive outside one.</summary>
    public static bool CreatesDialog(SipMethod method) =>
        method is SipMethod.Invite or SipMethod.Subscribe or SipMethod.Refer or SipMethod.Notify;
}
