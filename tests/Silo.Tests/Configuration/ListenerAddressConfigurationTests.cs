using System.Net;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Configuration;

/// <summary>
/// What a listener names itself by (Proxy:Listen:N with ;advertise=) and which listener a pair's requests leave from
/// (Proxy:Pairs:N:Egress): every refusal names its key, and the validator's own suggestion is a configuration it accepts.
/// </summary>
public sealed class ListenerAddressConfigurationTests
{
    [Theory]
    [InlineData("Proxy:Listen:0", "udp://0.0.0.0:5060", "udp://0.0.0.0:5060;advertise=10.0.0.10")]
    [InlineData("Proxy:Listen:0", "udp://0.0.0.0", "udp://0.0.0.0;advertise=10.0.0.10")]
    [InlineData("Proxy:Listen:1", "tcp://[::]:5060", "tcp://[::]:5060;advertise=[fd00::10]")]
    public void Rfc3261_16_6_WildcardListenerWithoutAdvertise_RefusedNamingTheKeyWithAWorkingSuggestion(string key, string listen, string suggestion)
    {
        var configuration = TestConfiguration.With((key, listen));

        Assert.Equal(
            [$"{key}: '{listen}' listens on every address; add ;advertise=ADDRESS so Via and Record-Route name a reachable address, e.g. {suggestion}"],
            configuration.Lines());

        var applied = TestConfiguration.With((key, suggestion));

        Assert.Empty(applied.Lines());
        Assert.True(applied.Settings!.Listen.Single(entry => entry.IsWildcard).Advertise is not null);
    }

    [Theory]
    [InlineData("udp://0.0.0.0:5060;advertise=10.0.0.10", "10.0.0.10:5060", "udp://0.0.0.0:5060;advertise=10.0.0.10")]
    [InlineData("udp://0.0.0.0:5060;ADVERTISE=10.0.0.10:30060", "10.0.0.10:30060", "udp://0.0.0.0:5060;advertise=10.0.0.10:30060")]
    [InlineData("udp://[::]:5062;advertise=[FD00::10]", "[fd00::10]:5062", "udp://[::]:5062;advertise=[fd00::10]")]
    [InlineData("udp://10.0.0.5:5070;advertise=SIP-A.example.com", "sip-a.example.com:5070", "udp://10.0.0.5:5070;advertise=sip-a.example.com")]
    public void Advertise_IsParsedAndShownAsWritten(string listen, string advertised, string shown)
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:1", listen));

        Assert.Empty(configuration.Lines());
        var entry = configuration.Settings!.Listen[1];
        Assert.Equal(advertised, entry.Advertise.ToString());
        Assert.Equal(shown, entry.ToString());
    }

    [Theory]
    [InlineData("udp://0.0.0.0:5060;advertise=", ";advertise= is not host[:port] (the host is empty)")]
    [InlineData("udp://0.0.0.0:5060;advertise=0.0.0.0", ";advertise= must name an address peers can reach, not every address")]
    [InlineData("udp://0.0.0.0:5060;advertise=[fd00::10]", ";advertise=fd00::10 is not of the listener's address family")]
    [InlineData("udp://0.0.0.0:5060;advertise=10.0.0.10:0", ";advertise= is not host[:port] (port 1-65535)")]
    [InlineData("udp://0.0.0.0:5060;maddr=10.0.0.10", "unknown parameter 'maddr=10.0.0.10' (only ;advertise=host[:port])")]
    [InlineData("udp://0.0.0.0:5060;advertise=10.0.0.10;advertise=10.0.0.11", ";advertise= is given twice")]
    public void Advertise_Malformed_RefusedNamingTheKey(string listen, string fault)
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:1", listen));

        Assert.Equal([$"Proxy:Listen:1: '{listen}': {fault}"], configuration.Lines());
    }

    [Fact]
    public void OneSocketTwice_WhateverItAdvertises_IsListedTwice()
    {
        var configuration = TestConfiguration.With(("Proxy:Listen:1", "udp://127.0.0.1:5060;advertise=10.0.0.10"));

        Assert.Equal(["Proxy:Listen:1: 'udp://127.0.0.1:5060;advertise=10.0.0.10' is listed twice (also Proxy:Listen:0)"], configuration.Lines());
    }

    [Fact]
    public void ListenerRule_NamesAnAdvertisingListenerByItsSocket()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Listen:1", "udp://0.0.0.0:5062;advertise=10.0.0.10"),
            ("Proxy:Routing:Rules:0:Listener", "udp://0.0.0.0:5062"),
            ("Proxy:Routing:Rules:0:Pair", "main"));

        Assert.Empty(configuration.Lines());
        Assert.Equal((SipTransportKind.Udp, new IPEndPoint(IPAddress.Any, 5062)), Assert.Single(configuration.Settings!.Routing.Rules).Listener);
    }

    [Fact]
    public void Rfc5658_4_PairEgress_NamesTheListenerItsRequestsLeaveFrom()
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Listen:1", "udp://127.0.0.2:5060"),
            ("Proxy:Pairs:0:Egress", "udp://127.0.0.2:5060"));

        Assert.Empty(configuration.Lines());
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 5060), Assert.Single(configuration.Settings!.Routing.Pairs).Egress);
    }

    [Fact]
    public void PairWithoutEgress_LeavesItToTheRouteTable()
    {
        var configuration = TestConfiguration.With();

        Assert.Null(Assert.Single(configuration.Settings!.Routing.Pairs).Egress);
    }

    [Theory]
    [InlineData("udp://127.0.0.9:5060", "'udp://127.0.0.9:5060' is not one of Proxy:Listen (udp://127.0.0.1:5060, tcp://127.0.0.2:5060)")]
    [InlineData("tcp://127.0.0.2:5060", "'tcp://127.0.0.2:5060' cannot reach '127.0.0.1:5070': the pair is reached over udp on IPv4")]
    [InlineData("127.0.0.1:5060", "'127.0.0.1:5060' is not transport://address:port (e.g. udp://10.0.0.10:5060)")]
    public void PairEgress_NotAListenerThatReachesThePair_RefusedNamingTheKey(string egress, string fault)
    {
        var configuration = TestConfiguration.With(
            ("Proxy:Listen:1", "tcp://127.0.0.2:5060"),
            ("Proxy:Pairs:0:Egress", egress));

        Assert.Equal([$"Proxy:Pairs:0:Egress: {fault}"], configuration.Lines());
    }
}
