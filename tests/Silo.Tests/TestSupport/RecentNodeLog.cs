using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// The last events a test node logged, rendered as lines, so that a failed end-to-end test can say what the
/// node saw (switchovers, failovers, refused requests) in its own failure message.
/// </summary>
internal sealed class RecentNodeLog : ILogEventSink
{
    private const int Capacity = 300;

    private readonly ConcurrentQueue<string> lines = new();

    public void Emit(LogEvent logEvent)
    {
        lines.Enqueue($"{logEvent.Timestamp:HH:mm:ss.fff} {logEvent.Level} {logEvent.RenderMessage()}{(logEvent.Exception is null ? string.Empty : ": " + logEvent.Exception.Message)}");
        while (lines.Count > Capacity)
        {
            lines.TryDequeue(out _);
        }
    }

    public override string ToString() => string.Join(Environment.NewLine, lines);
}
