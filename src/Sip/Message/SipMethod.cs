namespace OrleansProxy.Sip.Message;

/// <summary>Methods the proxy treats specially; any other token is <see cref="Extension"/> and is proxied like the rest.</summary>
public enum SipMethod : byte
{
    Extension = 0,
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Subscribe,
    Notify,
    Refer,
    Info,
    Update,
    Prack,
    Message,
    Publish,
}
