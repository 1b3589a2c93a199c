using System.Buffers;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Parsing;

public sealed class SipFramerTests
{
    private static readonly byte[] Invite = SipText.Wire(SipText.Invite);

    [Fact]
    public void TryFrame_EveryPrefixOfAMessage_IsIncompleteAndConsumesNothing()
    {
        for (var length = 0; length < Invite.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(Invite, 0, length);

            var status = SipFramer.TryFrame(buffer, SipParseLimits.Default, out var consumed, out _, out var error);

            Assert.True(status == SipFrameStatus.Incomplete, $"prefix of {length} bytes gave {status}");
            Assert.Equal(buffer.Start, consumed);
            Assert.Equal(SipParseError.None, error);
        }
    }

    [Fact]
    public void TryFrame_WholeMessage_FramesExactlyIt()
    {
        var buffer = new ReadOnlySequence<byte>(Invite);

        var status = SipFramer.TryFrame(buffer, SipParseLimits.Default, out var consumed, out var message, out _);

        Assert.Equal(SipFrameStatus.Message, status);
        Assert.Equal(Invite, message.ToArray());
        Assert.Equal(buffer.End, consumed);
    }

    [Fact]
    public void TryFrame_EverySplitIntoTwoSegments_FramesTheSameMessage()
    {
        var stream = Invite.Concat(SipText.Wire(SipText.Ringing)).ToArray();
        for (var split = 1; split < stream.Length; split++)
        {
            var buffer = Segments.Of(stream[..split], stream[split..]);

            var status = SipFramer.TryFrame(buffer, SipParseLimits.Default, out var consumed, out var message, out _);

            Assert.Equal(SipFrameStatus.Message, status);
            Assert.Equal(Invite, message.ToArray());
            Assert.Equal(Invite.Length, buffer.Slice(buffer.Start, consumed).Length);
        }
    }

    [Fact]
    public void TryFrame_KeepAlivesBetweenMessages_AreConsumedOnTheirOwn()
    {
        var stream = "\r\n\r\n"u8.ToArray().Concat(Invite).Concat("\r\n"u8.ToArray()).Concat(Invite).ToArray();
        var buffer = new ReadOnlySequence<byte>(stream);
        var statuses = new List<SipFrameStatus>();
        for (var round = 0; round < 10 && !buffer.IsEmpty; round++)
        {
            var status = SipFramer.TryFrame(buffer, SipParseLimits.Default, out var consumed, out var message, out _);
            statuses.Add(status);
            if (status == SipFrameStatus.Message)
            {
                Assert.Equal(Invite, message.ToArray());
            }

            buffer = buffer.Slice(consumed);
        }

        Assert.Equal([SipFrameStatus.KeepAlive, SipFrameStatus.Message, SipFrameStatus.KeepAlive, SipFrameStatus.Message], statuses);
    }

    [Fact]
    public void TryFrame_CompactAndFoldedContentLength_IsRead()
    {
        var text = SipText.Invite.Replace("Content-Length: 5\n", "l:\n  5\n", StringComparison.Ordinal);
        var bytes = SipText.Wire(text + "trailing");

        var status = SipFramer.TryFrame(new ReadOnlySequence<byte>(bytes), SipParseLimits.Default, out _, out var message, out _);

        Assert.Equal(SipFrameStatus.Message, status);
        Assert.Equal(bytes.Length - "trailing".Length, message.Length);
    }

    [Theory]
    [InlineData("Content-Length: 5\n", "", SipParseError.ContentLengthMissing)]
    [InlineData("Content-Length: 5\n", "Content-Length: -5\n", SipParseError.ContentLengthNotNumber)]
    [InlineData("Content-Length: 5\n", "Content-Length: 5\nl: 6\n", SipParseError.ContentLengthConflicting)]
    [InlineData("Content-Length: 5\n", "Content-Length: 99999999\n", SipParseError.MessageTooLarge)]
    public void TryFrame_BadContentLength_IsMalformedWithTheFault(string original, string replacement, SipParseError expected)
    {
        var bytes = SipText.Wire(SipText.Invite.Replace(original, replacement, StringComparison.Ordinal));
        var buffer = new ReadOnlySequence<byte>(bytes);

        var status = SipFramer.TryFrame(buffer, SipParseLimits.Default, out var consumed, out _, out var error);

        Assert.Equal(SipFrameStatus.Malformed, status);
        Assert.Equal(expected, error);
        Assert.Equal(buffer.Start, consumed);
    }

    [Fact]
    public void TryFrame_HeadersLongerThanTheLimitWithoutAnEnd_IsMalformed()
    {
        var limits = SipParseLimits.Default with { MaxMessageBytes = 200 };
        var endless = SipText.Wire("INVITE sip:a@b SIP/2.0\n" + string.Concat(Enumerable.Repeat("X-Filler: 0123456789\n", 20)));

        var status = SipFramer.TryFrame(new ReadOnlySequence<byte>(endless), limits, out _, out _, out var error);

        Assert.Equal(SipFrameStatus.Malformed, status);
        Assert.Equal(SipParseError.MessageTooLarge, error);
    }

    [Fact]
    public void TryFrame_FramedMessage_ParsesLikeTheDatagram()
    {
        var bytes = Invite.Concat(Invite).ToArray();
        SipFramer.TryFrame(new ReadOnlySequence<byte>(bytes), SipParseLimits.Default, out _, out var frame, out _);
        var message = new SipMessage();

        var parsed = SipParser.TryParse(frame.ToArray(), message, SipParseLimits.Default);

        Assert.True(parsed);
        Assert.Equal(Invite.Length, message.FramedLength);
    }
}
