using Fusion.Runtime.Kernels;

namespace Fusion.Benchmarks;

/// <summary>
/// Managed GEMM on one thread against all cores, over products from 16 KFLOP to 20 MFLOP, to place
/// ManagedGemm.ParallelThresholdFlops. Times are noisy when other processes share the cores: read the trend.
/// </summary>
public sealed class GemmThreadsBenchmark : IBenchmark
{
    private static readonly (int M, int K, int N)[] Shapes =
    [
        (16, 16, 32), (32, 32, 32), (32, 64, 64), (64, 64, 64), (32, 300, 32), (32, 300, 64), (64, 128, 128),
        (64, 300, 64), (128, 128, 128), (64, 300, 128), (128, 300, 128), (128, 300, 256), (256, 300, 256),
    ];

    public string Name => "gemm-threads";

    public string Description => "managed GEMM, 1 thread vs all cores, to place the parallel threshold";

    public unsafe void Run(BenchmarkOptions options)
    {
        int cores = Environment.ProcessorCount;
        bool wide = ManagedGemm.Vector512Available;
        Console.WriteLine($"current threshold: {ManagedGemm.ParallelThresholdFlops / 1e6:F1} MFLOP; {cores} cores");
        Console.WriteLine($"{"shape",-14} {"MFLOP",7} {"1 thread",9} {cores + " threads",9} {"speed-up",8}");
        foreach (var (m, k, n) in Shapes)
        {
            var random = new Random(7);
            float[] a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
            float[] b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray();
            float[] c = new float[m * n];
            double flops = 2.0 * m * n * k;
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
                double Gflops(int threads)
                {
                    Action run = () => ManagedGemm.Multiply(false, false, m, n, k, 1f, (float*)ia, k, (float*)ib, n, 0f, (float*)ic, n, threads, wide);
                    TimingStats t = options.Quick ? Timing.Measure(run, 0.1, 7, 0.01) : Timing.Measure(run, 0.3, 21, 0.02);
                    return flops / t.Median / 1e9;
                }
                double one = Gflops(1), all = Gflops(cores);
                Console.WriteLine($"{$"{m}x{k}x{n}",-14} {flops / 1e6,7:F2} {one,9:F1} {all,9:F1} {all / one,8:F2}");
            }
        }
    }
}
