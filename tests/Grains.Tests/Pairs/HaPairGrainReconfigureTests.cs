using OrleansProxy.Grains.Pairs;
using OrleansProxy.Grains.Tests.TestCommon;

namespace OrleansProxy.Grains.Tests.Pairs;

/// <summary>The pair grain told that the catalog changed, as a configuration reload tells it.</summary>
[Collection(HaPairClusterDefinition.Name)]
public sealed class HaPairGrainReconfigureTests(HaPairClusterFixture fixture)
{
    private static readonly ProbeSettings Probe = HaPairClusterFixture.Probe;

    private ScriptableProber Prober => fixture.Prober;

    [Fact]
    public async Task Reconfigure_ProbeSettingsChanged_KeepsHealthActiveMemberAndHistory()
    {
        var pair = await StartServingAsync(nameof(Reconfigure_ProbeSettingsChanged_KeepsHealthActiveMemberAndHistory));
        Prober.Script(pair.Primary, ProbeScript.Silent);
        var switched = await fixture.AdvanceUntilAsync(pair, s => s.ActiveRole == MemberRole.Backup, "the backup is active");
        var version = (await pair.Grain.GetRoute()).Version;

        fixture.Catalog.Add(new HaPairSettings(pair.Name, pair.Primary, pair.Backup, Probe with { FailuresToDown = Probe.FailuresToDown + 1 }));
        await pair.Grain.Reconfigure();

        var status = await pair.Grain.GetStatus();
        Assert.Equal(MemberRole.Backup, status.ActiveRole);
        Assert.True(status.Available);
        Assert.Equal(MemberHealth.Serving, status.Backup.Health);
        Assert.Equal(MemberHealth.Down, status.Primary.Health);
        Assert.Equal(switched.History.ToArray(), status.History.ToArray());
        Assert.Equal(version, (await pair.Grain.GetRoute()).Version);
    }

    [Fact]
    public async Task Reconfigure_SameSettings_ChangesNothing()
    {
        var pair = await StartServingAsync(nameof(Reconfigure_SameSettings_ChangesNothing));
        var before = await pair.Grain.GetRoute();

        fixture.Catalog.Add(new HaPairSettings(pair.Name, pair.Primary, pair.Backup, Probe with { Serving = new ServingCodes([2], []) }));
        await pair.Grain.Reconfigure();

        Assert.Equal(before, await pair.Grain.GetRoute());
    }

    [Fact]
    public async Task Reconfigure_MembersChanged_StartsAfreshOnTheNewMembers()
    {
        var name = nameof(Reconfigure_MembersChanged_StartsAfreshOnTheNewMembers);
        var pair = await StartServingAsync(name);
        var before = await pair.Grain.GetRoute();
        var settings = new HaPairSettings(name, $"{name}.new-primary:5060", $"{name}.new-backup:5060", Probe);
        Prober.Script(settings.Primary, ProbeScript.Answer);
        Prober.Script(settings.Backup, ProbeScript.Answer);

        fixture.Catalog.Add(settings);
        await pair.Grain.Reconfigure();

        var fresh = await pair.Grain.GetStatus();
        Assert.Equal((settings.Primary, settings.Backup), (fresh.Primary.Address, fresh.Backup.Address));
        Assert.Empty(fresh.History);
        var route = await Eventually.Satisfies(pair.Grain.GetRoute, r => r.IsAvailable, "the new primary serves");
        Assert.Equal(settings.Primary, route.ActiveMember);
        Assert.True(route.Version > before.Version, $"version {route.Version} after {before.Version}");
    }

    [Fact]
    public async Task Reconfigure_PairRemoved_StopsProbing()
    {
        var pair = await StartServingAsync(nameof(Reconfigure_PairRemoved_StopsProbing));

        fixture.Catalog.Remove(pair.Name);
        await pair.Grain.Reconfigure();
        var probes = Prober.CallsTo(pair.Primary);
        for (var i = 0; i < 5; i++)
        {
            fixture.Clock.Advance(Probe.Interval);
        }

        // Ticks come due on the silo's threads; a real pause gives any that wrongly remained the time to run.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(probes, Prober.CallsTo(pair.Primary));
    }

    private async Task<TestPair> StartServingAsync(string name)
    {
        var pair = fixture.AddPair(name);
        Prober.Script(pair.Primary, ProbeScript.Answer);
        Prober.Script(pair.Backup, ProbeScript.Answer);
        await pair.Grain.Start();
        await Eventually.Satisfies(pair.Grain.GetRoute, r => r.IsAvailable, "the primary serves");
        return pair;
    }
}
