namespace Fusion.Runtime.Compute;

/// <summary>
/// When to split a kernel over cores. Work below <see cref="MinElements"/> (elements times a
/// relative cost per element) runs on the calling thread: fork/join costs microseconds, and on
/// the shared 2-core machine the second core is often busy. Measured there (min of 25 trials,
/// noisy): compute-bound maps (GELU, tanh, sigmoid) gained 1.5-2x from about 256K elements;
/// memory-bound work (add, sum, exp) gained nothing at any size, so cost-1 maps never split.
/// </summary>
internal static class Parallelism
{
    /// <summary>Elements (times cost per element) a kernel needs before it is split.</summary>
    public static int MinElements = 1 << 18;

    public static int Workers => Environment.ProcessorCount;

    /// <summary>How many chunks to cut <paramref name="rows"/> rows of <paramref name="work"/> total work into (1 = run serially).</summary>
    public static int Chunks(int rows, long work)
    {
        if (rows < 2 || Workers < 2 || work < MinElements) return 1;
        long byWork = work / (MinElements / 2);
        return (int)Math.Max(1, Math.Min(Math.Min(rows, Workers), byWork));
    }

    /// <summary>Runs body(start, end) over [0, rows) cut into <paramref name="chunks"/> contiguous ranges.</summary>
    public static void For(int rows, int chunks, Action<int, int> body)
    {
        if (chunks <= 1) { body(0, rows); return; }
        Parallel.For(0, chunks, c =>
        {
            int start = (int)((long)rows * c / chunks);
            int end = (int)((long)rows * (c + 1) / chunks);
            if (end > start) body(start, end);
        });
    }
}
