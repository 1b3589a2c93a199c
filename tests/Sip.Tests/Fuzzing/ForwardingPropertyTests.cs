using System.Diagnostics;
using System.Net;
using FsCheck;
using FsCheck.Xunit;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Tests.Support;

namespace OrleansProxy.Sip.Tests.Fuzzing;

public sealed class ForwardingPropertyTests
{
    private static readonly IPEndPoint Source = new(IPAddress.Parse("192.0.2.200"), 6000);

    [Property(Arbitrary = [typeof(SipGenerators)], MaxTest = 300)]
    public void Forward_GeneratedRequest_ReparsesWithEveryUntouchedHeaderByteIdentical(GeneratedMessage generated)
    {
        var original = new SipMessage();
        Assert.True(SipParser.TryParse(generated.Wire(), original, SipParseLimits.Default), $"{original.Error} in\n{generated}");

        using var output = RequestForwarder.Write(original, new ForwardingPlan(Hops.Proxy, Source, RecordRoute: Hops.Proxy.RecordRouteLine, OwnRoutes: 0));
        var forwarded = new SipMessage();
        Assert.True(SipParser.TryParse(output.Memory, forwarded, SipParseLimits.Default), $"{forwarded.Error} in\n{SipText.Text(output.Span)}");

        Assert.Equal(original.Vias.Count + 1, forwarded.Vias.Count);
        Assert.Equal(original.MaxForwards - 1, forwarded.MaxForwards);
        Assert.Equal(original.Headers.Count + 2, forwarded.Headers.Count);
        var topViaLine = original.Vias[0].HeaderIndex;
        for (var i = 0; i < original.Headers.Count; i++)
        {
            if (i != topViaLine && i != original.MaxForwardsHeader)
            {
                Assert.Equal(original[original.Headers[i].Line].ToArray(), forwarded[forwarded.Headers[i + 2].Line].ToArray());
            }
        }

        Assert.Equal(original[new TextRange(original.BodyOffset, original.BodyLength)].ToArray(), forwarded[new TextRange(forwarded.BodyOffset, forwarded.BodyLength)].ToArray());
    }

    [Property(Arbitrary = [typeof(SipGenerators)], MaxTest = 500)]
    public void TryParse_MutatedRequest_EndsInAMessageOrANamedFaultAndWhatWouldBeSentParses(GeneratedMessage generated, Mutation[] mutations)
    {
        var bytes = generated.Wire();
        foreach (var mutation in mutations.Take(8))
        {
            bytes = mutation.ApplyTo(bytes);
        }

        var clock = Stopwatch.StartNew();
        var failure = new MessageInvariants().Check(bytes);

        Assert.Null(failure);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }
}
