namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// The last lines a process wrote. sipp repaints its statistics screen every second for as
/// long as it runs, so only the tail is kept for failure messages.
/// </summary>
internal sealed class OutputTail(int maxLines)
{
    private readonly Queue<string> _lines = new(maxLines);
    private readonly Lock _gate = new();

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_lines.Count == maxLines)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join('\n', _lines);
        }
    }
}
