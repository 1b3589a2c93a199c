using System.Security.Cryptography;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// Branches for client transactions. A stateful proxy gives every client transaction its own branch, so a
/// retry on the other member is a new transaction there. The stateless branch layout is kept
/// (<see cref="BranchGenerator"/>: prefix, 16 hex digits, '.', loop hash) so loop detection and
/// "is this Via ours" work unchanged; only the 16 transaction digits become unique.
/// </summary>
public static class UniqueBranch
{
    /// <summary>Where the 16 transaction digits start within the branch value.</summary>
    public const int DigitsOffset = 9;

    private static readonly ulong Seed = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private static long counter;

    /// <summary>Writes a branch for <paramref name="request"/>; returns its length (<see cref="BranchGenerator.BranchLength"/>).</summary>
    public static int Write(SipMessage request, Span<byte> destination)
    {
        var length = BranchGenerator.Write(request, destination);
        Renew(destination);
        return length;
    }

    /// <summary>Gives an already written branch new transaction digits, in place.</summary>
    public static void Renew(Span<byte> branch)
    {
        // A counter mixed with a per-process seed: unique within the process, unpredictable across restarts.
        var value = (ulong)Interlocked.Increment(ref counter) * 0x9E3779B97F4A7C15UL ^ Seed;
        HexDigits.Write(value, branch[DigitsOffset..]);
    }
}
