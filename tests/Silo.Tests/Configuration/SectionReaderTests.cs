using Microsoft.Extensions.Configuration;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Tests.Configuration;

/// <summary>The one reader every section is read with: each value kind, unknown keys, and faults named by their full key.</summary>
public sealed class SectionReaderTests
{
    private const string Root = "Test";

    [Fact]
    public void Read_NothingSet_KeepsEveryDefault()
    {
        var (sample, faults) = Read();

        Assert.Empty(faults);
        Assert.Equal((7, true, "kept", null, 0), (sample.Count, sample.Enabled, sample.Name, sample.Note, sample.Items.Count));
    }

    [Fact]
    public void Read_EveryKind_ReadsIt()
    {
        var (sample, faults) = Read(
            ("Test:Count", "-3"),
            ("Test:Enabled", "false"),
            ("Test:Name", "given"),
            ("Test:Note", ""),
            ("Test:Tags:0", "a"),
            ("Test:Tags:1", "b"),
            ("Test:Items:0:Count", "12"),
            ("Test:Inner:Percent", "100"));

        Assert.Empty(faults);
        Assert.Equal((-3, false, "given", ""), (sample.Count, sample.Enabled, sample.Name, sample.Note));
        Assert.Equal(["a", "b"], sample.Tags);
        Assert.Equal(12, Assert.Single(sample.Items).Count);
        Assert.Equal(100, sample.Inner.Percent);
    }

    [Fact]
    public void Read_EmptyValue_MeansNotSet()
    {
        var (sample, faults) = Read(("Test:Count", ""), ("Test:Name", ""), ("Test:Tags:0", ""));

        Assert.Empty(faults);
        Assert.Equal((7, "kept"), (sample.Count, sample.Name));
        Assert.Empty(sample.Tags);
    }

    [Theory]
    [InlineData("Test:Count", "seven", "'seven' is not a whole number")]
    [InlineData("Test:Count", "1.5", "'1.5' is not a whole number")]
    [InlineData("Test:Enabled", "yes", "'yes' is not true or false")]
    [InlineData("Test:Inner:Percent", "101", "'101' is not a whole number from 0 to 100")]
    [InlineData("Test:Inner:Percent", "half", "'half' is not a whole number from 0 to 100")]
    [InlineData("Test:Items:0:Count", "x", "'x' is not a whole number")]
    public void Read_BadValue_OneFaultUnderItsFullKeyAndTheDefaultKept(string key, string value, string message)
    {
        var (sample, faults) = Read((key, value));

        Assert.Equal([$"{key}: {message}"], faults.Select(fault => fault.ToString()));
        Assert.Equal((7, true, 50), (sample.Count, sample.Enabled, sample.Inner.Percent));
    }

    [Fact]
    public void Read_UnknownKeys_NamedWithTheKeysReadThere()
    {
        var (_, faults) = Read(("Test:Cuont", "1"), ("Test:Inner:Percentage", "5"), ("Test:Items:0:Name", "x"));

        Assert.Equal(
            [
                "Test:Items:0:Name: unknown key (known keys here: Count)",
                "Test:Inner:Percentage: unknown key (known keys here: Percent)",
                "Test:Cuont: unknown key (known keys here: Count, Enabled, Name, Note, Tags, Items, Inner, Listed)",
            ],
            faults.Select(fault => fault.ToString()));
    }

    [Fact]
    public void Read_KeysInOtherCase_AreTheSameKeys()
    {
        var (sample, faults) = Read(("TEST:COUNT", "9"), ("test:inner:percent", "1"));

        Assert.Empty(faults);
        Assert.Equal((9, 1), (sample.Count, sample.Inner.Percent));
    }

    [Fact]
    public void Read_SectionGivenAsValue_AsksForItsKeys()
    {
        var (_, faults) = Read(("Test:Inner", "full"));

        Assert.Equal(["Test:Inner: must be a section with the keys Percent"], faults.Select(fault => fault.ToString()));
    }

    [Fact]
    public void Read_ValueGivenAsSection_AsksForOneValue()
    {
        var (sample, faults) = Read(("Test:Name:First", "x"), ("Test:Tags:0:Sub", "y"));

        Assert.Equal(
            ["Test:Name: must be a single value, not a section", "Test:Tags:0: must be a single value, not a section"],
            faults.Select(fault => fault.ToString()));
        Assert.Equal("kept", sample.Name);
    }

    [Fact]
    public void Read_ListGivenAsOneValue_AsksForAList()
    {
        var (_, faults) = Read(("Test:Tags", "a,b"));

        Assert.Equal(["Test:Tags: must be a list: set Test:Tags:0, Test:Tags:1, ..."], faults.Select(fault => fault.ToString()));
    }

    [Fact]
    public void Read_ListWithGap_NamesTheMisplacedEntryAndDropsTheList()
    {
        var (sample, faults) = Read(("Test:Items:0:Count", "1"), ("Test:Items:2:Count", "3"));

        Assert.Equal(
            ["Test:Items:2: list entries must be numbered 0, 1, 2, ... without gaps (expected Test:Items:1)"],
            faults.Select(fault => fault.ToString()));
        Assert.Empty(sample.Items);
    }

    [Fact]
    public void Read_ListEntryGivenAsValue_SaysWhatItShouldBe()
    {
        var (_, faults) = Read(("Test:Items:0", "12"));

        Assert.Equal(["Test:Items:0: '12' is not an item: set Test:Items:0:Count"], faults.Select(fault => fault.ToString()));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", true)]
    [InlineData("x", true)]
    public void Has_SetEvenEmpty_IsTrue(string? value, bool has)
    {
        var (sample, _) = Read(value is null ? [] : [("Test:Listed", value)]);

        Assert.Equal(has, sample.Listed);
    }

    [Fact]
    public void FaultsOfTheSection_NameKeysBelowItsPath()
    {
        var faults = new ConfigurationFaults();
        var section = SectionReader.Read(Build(), "Proxy:Pairs", faults, reader => reader.Faults);

        section.Entry(2).Add("Primary", "is required");

        Assert.Equal("Proxy:Pairs:2:Primary", Assert.Single(faults).Key);
    }

    [Fact]
    public void InRange_OutOfRange_OneFaultAndNotUsable()
    {
        var faults = new ConfigurationFaults();
        var section = new SectionFaults(faults, "Proxy:Probe");

        Assert.False(section.InRange(5, "IntervalMs", 10, 60_000));
        Assert.True(section.InRange(500, "TimeoutMs", 1, 60_000));
        Assert.Equal(["Proxy:Probe:IntervalMs: 5 is out of range (10-60000)"], faults.Select(fault => fault.ToString()));
    }

    [Fact]
    public void InRange_KeyAlreadyAtFault_NotUsableAndNotRepeated()
    {
        var faults = new ConfigurationFaults([new ConfigurationFault("Proxy:Probe:IntervalMs", "'abc' is not a whole number")]);
        var section = new SectionFaults(faults, "Proxy:Probe");

        Assert.False(section.InRange(0, "IntervalMs", 10, 60_000));
        Assert.Single(faults);
    }

    [Fact]
    public void HasAny_FaultBelowTheKey_IsTrue_FaultBesideIt_IsFalse()
    {
        var faults = new ConfigurationFaults([new ConfigurationFault("Proxy:Listener:0", "x"), new ConfigurationFault("Proxy:Pairs:1:Name", "y")]);

        Assert.True(new SectionFaults(faults, "Proxy:Pairs").HasAny);
        Assert.False(new SectionFaults(faults, "Proxy:Listen").HasAny);
    }

    private static (Sample Sample, ConfigurationFaults Faults) Read(params (string Key, string? Value)[] values)
    {
        var faults = new ConfigurationFaults();
        var sample = SectionReader.Read(Build(values), Root, faults, new Sample());
        return (sample, faults);
    }

    private static IConfigurationRoot Build(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(value => KeyValuePair.Create(value.Key, value.Value))).Build();

    private sealed class Sample : ISectionOptions
    {
        public int Count { get; private set; } = 7;

        public bool Enabled { get; private set; } = true;

        public string Name { get; private set; } = "kept";

        public string? Note { get; private set; }

        public List<string> Tags { get; private set; } = [];

        public List<Item> Items { get; private set; } = [];

        public Inner Inner { get; } = new();

        public bool Listed { get; private set; }

        public void ReadFrom(SectionReader section)
        {
            Count = section.Int(nameof(Count), Count);
            Enabled = section.Bool(nameof(Enabled), Enabled);
            Name = section.Text(nameof(Name)) ?? Name;
            Note = section.TextOrEmpty(nameof(Note));
            Tags = section.Texts(nameof(Tags));
            Items = section.Entries<Item>(nameof(Items), entry => $"an item: set {entry}:{nameof(Item.Count)}");
            section.Section(nameof(Inner), Inner);
            Listed = section.Has(nameof(Listed));
        }
    }

    private sealed class Item : ISectionOptions
    {
        public int Count { get; private set; }

        public void ReadFrom(SectionReader section) => Count = section.Int(nameof(Count), Count);
    }

    private sealed class Inner : ISectionOptions
    {
        public int Percent { get; private set; } = 50;

        public void ReadFrom(SectionReader section) => Percent = section.Int(nameof(Percent), Percent, 0, 100);
    }
}
