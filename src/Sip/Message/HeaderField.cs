namespace OrleansProxy.Sip.Message;

/// <param name="Line">The whole header line from its name to the end of its CRLF, folded continuation lines included.</param>
/// <param name="Value">The value without surrounding whitespace; may span folded lines.</param>
public readonly record struct HeaderField(HeaderKind Kind, TextRange Name, TextRange Value, TextRange Line);
