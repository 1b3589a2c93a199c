using System.Globalization;
using Perfolizer.Metrology;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OrleansProxy.Sip.Tests.Fuzzing;

namespace OrleansProxy.Sip.Benchmarks;

/// <summary>
/// <c>fuzz [seconds] [seed]</c> runs the parser fuzzer and exits non-zero on any failure; <c>linger [calls]</c> measures
/// the heap finished calls keep (<see cref="LingerMeasurement"/>); <c>receive [datagrams]</c> what the UDP receive loop
/// allocates per datagram (<see cref="ReceiveMeasurement"/>); anything else goes to BenchmarkDotNet (e.g. <c>--filter '*' --job short</c>).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "fuzz")
        {
            var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
            var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.TickCount;
            var report = new SipFuzzer(seed, SeedCorpus.Messages).Run(long.MaxValue, TimeSpan.FromSeconds(seconds));
            Console.WriteLine(report);
            return report.Failures == 0 ? 0 : 1;
        }

        if (args.Length > 0 && args[0] == "receive")
        {
            ReceiveMeasurement.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
            return 0;
        }

        if (args.Length > 0 && args[0] == "linger")
        {
            LingerMeasurement.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000);
            return 0;
        }

        // Allocations in bytes, not rounded to KB: the figures to compare before and after a change.
        var config = DefaultConfig.Instance.WithSummaryStyle(SummaryStyle.Default.WithSizeUnit(SizeUnit.B));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
