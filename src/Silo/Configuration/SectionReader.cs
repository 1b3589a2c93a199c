using System.Globalization;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Reads one configuration section by hand, knowing its full path. The configuration binder stops at the first value it
/// cannot convert and throws, while an operator needs every bad key named at once, so each fault goes to the collector
/// under its full key and reading goes on. The keys read are the section's known keys: any other key, or a value where
/// the section should be, is a fault too, so that a misspelt key never silently leaves a default in place.
/// </summary>
internal sealed class SectionReader
{
    private const string NotSingleValue = "must be a single value, not a section";

    private readonly IConfigurationSection section;
    private readonly List<string> knownKeys = [];

    private SectionReader(IConfigurationSection section, ConfigurationFaults faults)
    {
        this.section = section;
        Faults = new SectionFaults(faults, section.Path);
    }

    private delegate bool Parser<T>(string text, out T value);

    /// <summary>This section's key, to name faults found after reading.</summary>
    public SectionFaults Faults { get; }

    /// <summary>Reads the section at <paramref name="path"/> (it may not exist) into <paramref name="options"/>.</summary>
    public static T Read<T>(IConfiguration configuration, string path, ConfigurationFaults faults, T options)
        where T : ISectionOptions => Read(configuration.GetSection(path), faults, Into(options));

    /// <summary>Reads the section at <paramref name="path"/> (it may not exist) with <paramref name="read"/>.</summary>
    public static T Read<T>(IConfiguration configuration, string path, ConfigurationFaults faults, Func<SectionReader, T> read) =>
        Read(configuration.GetSection(path), faults, read);

    public void Section(string key, ISectionOptions options) => Read(Known(key), Faults.Faults, Into(options));

    public T Section<T>(string key, Func<SectionReader, T> read) => Read(Known(key), Faults.Faults, read);

    /// <summary>Null when not set: an empty value means "not set", as an environment variable cannot be removed.</summary>
    public string? Text(string key) => SingleValue(Known(key)) is { Length: > 0 } text ? text : null;

    /// <summary>Like <see cref="Text"/>, but an empty value is kept: for keys where "" means "none".</summary>
    public string? TextOrEmpty(string key) => SingleValue(Known(key));

    public int Int(string key, int fallback) => Parse(key, fallback, TryParseInt, "is not a whole number");

    /// <summary>A whole number checked against its range as it is read.</summary>
    public int Int(string key, int fallback, int min, int max) =>
        Parse(key, fallback, (string text, out int value) => TryParseInt(text, out value) && value >= min && value <= max, $"is not a whole number from {min} to {max}");

    public bool Bool(string key, bool fallback) => Parse(key, fallback, bool.TryParse, "is not true or false");

    /// <summary>Whether the key is set at all, as a value or a section, even an empty one.</summary>
    public bool Has(string key) => Known(key).Exists();

    /// <summary>A list of single values; empty entries are left out.</summary>
    public List<string> Texts(string key)
    {
        var texts = new List<string>();
        foreach (var entry in ListEntries(Known(key)))
        {
            if (SingleValue(entry) is { Length: > 0 } text)
            {
                texts.Add(text);
            }
        }

        return texts;
    }

    /// <summary>A list of sections, each read into a new <typeparamref name="T"/>.</summary>
    /// <param name="shape">Given an entry's key, what it should be: "a pair: set ...:Name, ...".</param>
    public List<T> Entries<T>(string key, Func<string, string> shape)
        where T : ISectionOptions, new()
    {
        var items = new List<T>();
        foreach (var entry in ListEntries(Known(key)))
        {
            if (!string.IsNullOrEmpty(entry.Value))
            {
                Faults.Faults.Add(entry.Path, $"'{entry.Value}' is not {shape(entry.Path)}");
                continue;
            }

            items.Add(Read(entry, Faults.Faults, Into(new T())));
        }

        return items;
    }

    private static T Read<T>(IConfigurationSection section, ConfigurationFaults faults, Func<SectionReader, T> read)
    {
        var reader = new SectionReader(section, faults);
        var result = read(reader);
        reader.RejectUnknownKeys();
        return result;
    }

    private static Func<SectionReader, T> Into<T>(T options)
        where T : ISectionOptions => reader =>
        {
            options.ReadFrom(reader);
            return options;
        };

    private void RejectUnknownKeys()
    {
        var known = string.Join(", ", knownKeys);
        if (!string.IsNullOrEmpty(section.Value))
        {
            Faults.Add($"must be a section with the keys {known}");
        }

        foreach (var child in section.GetChildren())
        {
            if (!knownKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                Faults.Faults.Add(child.Path, $"unknown key (known keys here: {known})");
            }
        }
    }

    private IConfigurationSection Known(string key)
    {
        knownKeys.Add(key);
        return section.GetSection(key);
    }

    private T Parse<T>(string key, T fallback, Parser<T> parse, string fault)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        Faults.Add(key, $"'{text}' {fault}");
        return fallback;
    }

    private static bool TryParseInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private string? SingleValue(IConfigurationSection value)
    {
        if (value.GetChildren().Any())
        {
            Faults.Faults.Add(value.Path, NotSingleValue);
            return null;
        }

        return value.Value;
    }

    // Entries must be numbered 0..n-1: the validators name faults by position, and a gap
    // usually means an environment variable or override aimed at an entry that does not exist.
    private List<IConfigurationSection> ListEntries(IConfigurationSection list)
    {
        var entries = list.GetChildren().ToList();
        if (entries.Count == 0)
        {
            if (!string.IsNullOrEmpty(list.Value))
            {
                Faults.Faults.Add(list.Path, $"must be a list: set {list.Path}:0, {list.Path}:1, ...");
            }

            return entries;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Key != i.ToString(CultureInfo.InvariantCulture))
            {
                Faults.Faults.Add(entries[i].Path, $"list entries must be numbered 0, 1, 2, ... without gaps (expected {list.Path}:{i})");
                return [];
            }
        }

        return entries;
    }
}
