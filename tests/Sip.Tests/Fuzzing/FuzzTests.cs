using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Tests.Fuzzing;

public sealed class FuzzTests
{
    [Fact]
    public void SeedCorpus_EveryMessage_IsWellFormed()
    {
        foreach (var seed in SeedCorpus.Messages)
        {
            var message = new SipMessage();

            Assert.True(SipParser.TryParse(seed, message, SipParseLimits.Default), $"{message.Error} in\n{Encoding.UTF8.GetString(seed)}");
            Assert.Equal(seed.Length, message.FramedLength);
        }
    }

    [Fact]
    public void Run_FixedSeedForAFewSeconds_BreaksNoInvariant()
    {
        var report = new SipFuzzer(seed: 20261125, SeedCorpus.Messages).Run(maxMessages: 50_000, budget: TimeSpan.FromSeconds(3));

        Assert.True(report.Failures == 0, report.ToString());
        Assert.True(report.Tried >= 1_000, report.ToString());
    }
}
