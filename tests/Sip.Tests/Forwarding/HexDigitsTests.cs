using System.Globalization;
using System.Text;
using OrleansProxy.Sip.Forwarding;

namespace OrleansProxy.Sip.Tests.Forwarding;

public sealed class HexDigitsTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(0xFUL)]
    [InlineData(0x0123456789ABCDEFUL)]
    [InlineData(0xFEDCBA9876543210UL)]
    [InlineData(ulong.MaxValue)]
    public void Rfc3261_8_1_1_7_Write_GivesTheSixteenLowercaseDigitsOfABranch(ulong value)
    {
        var destination = new byte[HexDigits.Length + 1];

        HexDigits.Write(value, destination);

        Assert.Equal(value.ToString("x16", CultureInfo.InvariantCulture), Encoding.ASCII.GetString(destination, 0, HexDigits.Length));
        Assert.Equal(0, destination[HexDigits.Length]);
    }
}
