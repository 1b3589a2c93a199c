using System.Net;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Transport;

/// <summary>The operating system's choice of source address, asked on loopback (Linux sends from 127.0.0.1 to all of 127.0.0.0/8).</summary>
public sealed class SystemRouteTableTests
{
    private readonly SystemRouteTable routes = new();

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.3", "127.0.0.1")]
    [InlineData("::1", "::1")]
    public void SourceAddressFor_LoopbackDestination_TheLoopbackAddressItIsSentFrom(string destination, string source)
    {
        Assert.Equal(IPAddress.Parse(source), routes.SourceAddressFor(IPAddress.Parse(destination)));
    }

    [Fact]
    public void SourceAddressFor_AskedTwice_TheSameAnswer()
    {
        var destination = IPAddress.Parse("127.0.0.4");

        Assert.Equal(routes.SourceAddressFor(destination), routes.SourceAddressFor(destination));
    }
}
