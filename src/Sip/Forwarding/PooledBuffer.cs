using System.Buffers;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>An outgoing message in a rented array; the owner returns it with <see cref="Dispose"/> once sent.</summary>
public struct PooledBuffer : IDisposable
{
    private byte[]? array;

    public PooledBuffer(int capacity)
    {
        array = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public int Length { get; set; }

    public readonly Span<byte> Free => array.AsSpan(Length);

    public readonly ReadOnlyMemory<byte> Memory => array.AsMemory(0, Length);

    public readonly ReadOnlySpan<byte> Span => array.AsSpan(0, Length);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(array.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Dispose()
    {
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
            array = null;
        }
    }
}
