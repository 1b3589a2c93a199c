using System.Text;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Tests.Message;

public sealed class ProductNameTests
{
    [Theory]
    [InlineData("OrleansProxy", "Server: OrleansProxy\r\n", "User-Agent: OrleansProxy\r\n")]
    [InlineData("Acme-SBC/2.1 (edge; build 7)", "Server: Acme-SBC/2.1 (edge; build 7)\r\n", "User-Agent: Acme-SBC/2.1 (edge; build 7)\r\n")]
    [InlineData("", "", "")]
    public void Create_PrintableValue_EncodesBothHeaderLinesOnce(string value, string server, string userAgent)
    {
        var product = ProductName.Create(value);

        Assert.Equal((server, userAgent), (Encoding.ASCII.GetString(product.ServerLine.Span), Encoding.ASCII.GetString(product.UserAgentLine.Span)));
    }

    [Theory]
    [InlineData("Acme\r\nX-Injected: yes")]
    [InlineData("Acme\n")]
    [InlineData("Acme\tSBC")]
    [InlineData("Acme\0")]
    [InlineData("Jürgen's SBC")]
    [InlineData(" Acme")]
    [InlineData("Acme ")]
    public void FaultOf_ValueThatCannotBeAHeaderValue_IsNamedAndCreateRefusesIt(string value)
    {
        Assert.NotNull(ProductName.FaultOf(value));
        Assert.Throws<ArgumentException>(() => ProductName.Create(value));
    }

    [Fact]
    public void FaultOf_LongerThanTheBound_IsNamed()
    {
        Assert.Null(ProductName.FaultOf(new string('a', ProductName.MaxLength)));
        Assert.Equal($"must be at most {ProductName.MaxLength} characters", ProductName.FaultOf(new string('a', ProductName.MaxLength + 1)));
    }
}
