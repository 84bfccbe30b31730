using System.Diagnostics;

namespace Fusion.Benchmarks;

/// <summary>Seconds per operation over repeated samples.</summary>
public readonly record struct TimingStats(double Median, double P10, double P90, int Samples, long OperationsPerSample);

/// <summary>Warm-up then repeated timed samples; reports the median so that a busy neighbour moves it less than a mean.</summary>
public static class Timing
{
    /// <summary>
    /// Runs <paramref name="operation"/> for <paramref name="warmupSeconds"/> (JIT tiering, caches, thread pool), then
    /// takes <paramref name="samples"/> samples, each of enough back-to-back operations to last about
    /// <paramref name="sampleSeconds"/>.
    /// </summary>
    public static TimingStats Measure(Action operation, double warmupSeconds = 0.5, int samples = 21, double sampleSeconds = 0.025)
    {
        var clock = Stopwatch.StartNew();
        long warmupOps = 0;
        do
        {
            operation();
            warmupOps++;
        }
        while (clock.Elapsed.TotalSeconds < warmupSeconds);

        double estimate = clock.Elapsed.TotalSeconds / warmupOps;
        long perSample = Math.Max(1, (long)(sampleSeconds / Math.Max(estimate, 1e-9)));
        var times = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            clock.Restart();
            for (long i = 0; i < perSample; i++) operation();
            times[s] = clock.Elapsed.TotalSeconds / perSample;
        }
        Array.Sort(times);
        return new TimingStats(times[samples / 2], times[samples / 10], times[samples - 1 - samples / 10], samples, perSample);
    }
}
