namespace OrleansProxy.Silo.Tests.Deploy;

/// <summary>Files of the repository the tests run from, found by walking up to OrleansProxy.sln.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansProxy.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No OrleansProxy.sln above {AppContext.BaseDirectory}");
    }
}
