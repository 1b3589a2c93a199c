namespace OrleansProxy.Sip.Uri;

public enum UriScheme : byte
{
    Other = 0,
    Sip,
    Sips,
}
