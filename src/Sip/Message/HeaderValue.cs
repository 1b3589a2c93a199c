namespace OrleansProxy.Sip.Message;

/// <summary>
/// One element of a comma-separated header (Via, Route, Record-Route), which may share its line with others.
/// </summary>
/// <param name="HeaderIndex">Index into <see cref="SipMessage.Headers"/> of the line holding it.</param>
public readonly record struct HeaderValue(int HeaderIndex, TextRange Value);
