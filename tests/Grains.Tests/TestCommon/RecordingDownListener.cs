using System.Collections.Concurrent;
using OrleansProxy.Grains.Pairs;

namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>Counts, per member, how often the grains said it was found down; shared by every grain of the test silo.</summary>
public sealed class RecordingDownListener : IMemberDownListener
{
    private readonly ConcurrentDictionary<string, int> _downs = new(StringComparer.Ordinal);

    public int DownsOf(string member) => _downs.GetValueOrDefault(member);

    public void OnMemberDown(string pair, string member) => _downs.AddOrUpdate(member, 1, static (_, count) => count + 1);
}
