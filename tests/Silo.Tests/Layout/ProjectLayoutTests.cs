using System.Text.RegularExpressions;
using System.Xml.Linq;
using OrleansProxy.Silo.Tests.Deploy;

namespace OrleansProxy.Silo.Tests.Layout;

/// <summary>The layout README's architecture section draws: dependencies point one way, between projects and between the host's folders.</summary>
public sealed partial class ProjectLayoutTests
{
    [Fact]
    public void RoutingProject_ReferencesTheSipProjectOnly()
    {
        var project = XDocument.Load(RepositoryFiles.PathOf("src", "Routing", "Routing.csproj"));

        var references = project.Descendants("ProjectReference").Select(reference => (string?)reference.Attribute("Include"));

        Assert.Equal([@"..\Sip\Sip.csproj"], references);
    }

    [Fact]
    public void SiloFolders_NoFolderImportsAFolderThatImportsItBack()
    {
        var silo = RepositoryFiles.PathOf("src", "Silo");
        var folders = Directory.GetDirectories(silo)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(folder => folder is not ("bin" or "obj"))
            .ToList();
        var imports = folders.ToDictionary(folder => folder, folder => ImportsOf(Path.Combine(silo, folder), folder));

        var cycles = folders
            .SelectMany(folder => imports[folder].Where(imported => imports.TryGetValue(imported, out var back) && back.Contains(folder)).Select(imported => (folder, imported)))
            .Where(pair => string.CompareOrdinal(pair.folder, pair.imported) < 0)
            .Select(pair => $"{pair.folder} <-> {pair.imported}");

        Assert.Empty(cycles);
    }

    // A using directive or a qualified name, either of which makes the folder depend on the other one.
    private static HashSet<string> ImportsOf(string directory, string folder) =>
        [
            .. Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => SiloNamespace().Matches(File.ReadAllText(file)))
                .Select(match => match.Groups["folder"].Value)
                .Where(imported => imported != folder),
        ];

    [GeneratedRegex(@"OrleansProxy\.Silo\.(?<folder>[A-Z][A-Za-z]*)\b")]
    private static partial Regex SiloNamespace();
}
