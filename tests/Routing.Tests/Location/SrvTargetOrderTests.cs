using OrleansProxy.Routing.Location;

namespace OrleansProxy.Routing.Tests.Location;

public sealed class SrvTargetOrderTests
{
    private const int Draws = 2_000;

    [Fact]
    public void Arrange_SeveralPriorities_LowestPriorityFirstWhateverTheWeights()
    {
        SrvTarget[] targets =
        [
            new(Priority: 30, Weight: 100, Port: 5060, Host: "c.example.test."),
            new(Priority: 10, Weight: 0, Port: 5060, Host: "a.example.test."),
            new(Priority: 20, Weight: 65535, Port: 5060, Host: "b.example.test."),
        ];

        var ordered = SrvTargetOrder.Arrange(targets, new Random(1));

        Assert.Equal(["a.example.test.", "b.example.test.", "c.example.test."], ordered.Select(target => target.Host));
    }

    [Fact]
    public void Arrange_OnePriority_FirstTargetDrawnInProportionToWeight()
    {
        SrvTarget[] targets =
        [
            new(Priority: 10, Weight: 60, Port: 5060, Host: "heavy.example.test."),
            new(Priority: 10, Weight: 30, Port: 5060, Host: "medium.example.test."),
            new(Priority: 10, Weight: 10, Port: 5060, Host: "light.example.test."),
        ];
        var random = new Random(7);
        var firsts = new Dictionary<string, int>();

        for (var draw = 0; draw < Draws; draw++)
        {
            var first = SrvTargetOrder.Arrange(targets, random)[0].Host;
            firsts[first] = firsts.GetValueOrDefault(first) + 1;
        }

        // Expected shares 60/30/10 %; the bands are wide enough that only a broken draw leaves them.
        Assert.InRange(firsts["heavy.example.test."], Draws * 50 / 100, Draws * 70 / 100);
        Assert.InRange(firsts["medium.example.test."], Draws * 20 / 100, Draws * 40 / 100);
        Assert.InRange(firsts["light.example.test."], Draws * 5 / 100, Draws * 15 / 100);
    }

    [Fact]
    public void Arrange_ZeroWeightBesideWeightedTargets_RarelyFirstButNeverLeftOut()
    {
        SrvTarget[] targets =
        [
            new(Priority: 10, Weight: 100, Port: 5060, Host: "weighted.example.test."),
            new(Priority: 10, Weight: 0, Port: 5060, Host: "zero.example.test."),
        ];
        var random = new Random(3);
        var zeroFirst = 0;

        for (var draw = 0; draw < Draws; draw++)
        {
            var ordered = SrvTargetOrder.Arrange(targets, random);
            Assert.Equal(2, ordered.Count);
            zeroFirst += ordered[0].Host == "zero.example.test." ? 1 : 0;
        }

        // RFC 2782 gives it 1 chance in (sum of weights + 1) = 1/101 of coming first.
        Assert.InRange(zeroFirst, 1, Draws * 5 / 100);
    }
}
