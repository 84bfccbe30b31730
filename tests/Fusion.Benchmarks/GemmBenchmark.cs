using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using Fusion.Runtime.Kernels;

namespace Fusion.Benchmarks;

/// <summary>
/// GFLOP/s of each GEMM path at the shapes the runtime cares about: the managed SIMD GEMM (with its default
/// threading and on one thread), OpenBLAS with OPENBLAS_CORETYPE as inherited, OpenBLAS in a child process with
/// the variable flipped (it is read when the library loads), and the default selection of Gemm.Multiply.
/// Switches: --shapes 32x300x64,... (m x k x n); --op NN|NT|TN|TT (transposes of A and B, default NN; NT is a
/// Linear layer's forward X W^T); --openblas-only (used for the child process).
/// </summary>
public sealed class GemmBenchmark : IBenchmark
{
    private const string CoreTypeVariable = "OPENBLAS_CORETYPE";
    private const string ChildSwitch = "--openblas-only";

    public static readonly (int M, int K, int N)[] DefaultShapes = [(32, 300, 64), (256, 300, 256), (256, 8000, 64), (1024, 1024, 1024)];

    public string Name => "gemm";

    public string Description => "GEMM GFLOP/s per path (managed, OpenBLAS with and without OPENBLAS_CORETYPE, default choice) per shape";

    public void Run(BenchmarkOptions options)
    {
        (int M, int K, int N)[] shapes = ParseShapes(options.Value("--shapes")) ?? DefaultShapes;
        string op = (options.Value("--op") ?? "NN").ToUpperInvariant();
        if (op is not ("NN" or "NT" or "TN" or "TT")) throw new ArgumentException($"--op {op}: use NN, NT, TN or TT");
        bool transA = op[0] == 'T', transB = op[1] == 'T';
        if (options.Has(ChildSwitch))
        {
            RunChild(options, shapes, transA, transB);
            return;
        }

        string? inherited = Environment.GetEnvironmentVariable(CoreTypeVariable);
        Console.WriteLine($"CPU: {Environment.ProcessorCount} logical cores, Vector512 accelerated: {Vector512.IsHardwareAccelerated}, " +
                          $"managed micro-kernel: {(ManagedGemm.Vector512Available ? "8x32 Vector512" : "6x16 Vector256")}");
        Console.WriteLine(Gemm.OpenBlasAvailable
            ? $"OpenBLAS: {OpenBlas.LibraryName}, core '{OpenBlas.CoreName}', {OpenBlas.NumThreads} threads, {CoreTypeVariable}={inherited ?? "(unset)"}"
            : $"OpenBLAS: {OpenBlas.LibraryName} not available; OpenBLAS columns are empty.");
        Console.WriteLine($"Timing: {(options.Quick ? "quick (0.1 s warm-up, 7 samples)" : "0.5 s warm-up per path and shape, median of 21 samples of ~25 ms")}; " +
                          $"C = {(transA ? "A^T" : "A")} {(transB ? "B^T" : "B")} (--op {op}), beta = 0.");
        Console.WriteLine($"Load average before: {LoadAverage()} (timings on shared cores are only as good as this is low).");
        Console.WriteLine();

        // The child flips the variable: unset it when inherited, or set Haswell to show its cost when not.
        string? childCoreType = inherited is null ? "Haswell" : null;
        Dictionary<string, double>? child = null;
        string? childCore = null;
        if (Gemm.OpenBlasAvailable)
            (child, childCore) = RunChildProcess(options, shapes, childCoreType);

        var columns = new List<string> { "managed", "managed 1 thread" };
        if (Gemm.OpenBlasAvailable)
        {
            columns.Add($"openblas {CoreTypeVariable}={inherited ?? "unset"} ({OpenBlas.CoreName})");
            columns.Add($"openblas {CoreTypeVariable}={childCoreType ?? "unset"} ({childCore ?? "child failed"})");
        }
        columns.Add("default (backend)");

        var rows = new List<string[]>();
        foreach (var (m, k, n) in shapes)
        {
            var data = new GemmData(m, k, n, transA, transB);
            var row = new List<string> { $"{m}x{k}x{n}" };
            row.Add(Format(data.Time(options, GemmBackend.Managed)));
            row.Add(Format(data.TimeManagedOneThread(options)));
            if (Gemm.OpenBlasAvailable)
            {
                row.Add(Format(data.Time(options, GemmBackend.OpenBlas)));
                row.Add(child is not null && child.TryGetValue(data.Label, out double g) ? $"{g,6:F1}" : "n/a");
            }
            GemmBackend chosen = Gemm.SelectBackend(m, n, k);
            row.Add($"{Format(data.Time(options, backend: null))} ({chosen})");
            rows.Add([.. row]);
            Console.Error.WriteLine($"  measured {data.Label}");
        }

        Console.WriteLine("GFLOP/s at the median sample [p10..p90], shape m x k x n:");
        PrintTable(["shape", .. columns], rows);
        Console.WriteLine();
        Console.WriteLine("managed = Gemm.Multiply forced to the managed path (its own thread choice: " +
                          $"{ManagedGemm.ParallelThresholdFlops / 1e6:F0} MFLOP and up use {Environment.ProcessorCount} threads); " +
                          "default = Gemm.Multiply as the runtime calls it.");
        Console.WriteLine($"Load average after: {LoadAverage()}.");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Format((double Median, double Low, double High) g) => $"{g.Median,6:F1} [{g.Low:F0}..{g.High:F0}]";

    private static void PrintTable(string[] header, List<string[]> rows)
    {
        int[] widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))));
        Console.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (string[] row in rows)
            Console.WriteLine(string.Join(" | ", row.Select((c, i) => c.PadRight(widths[i]))));
    }

    /// <summary>In the child: OpenBLAS only, one machine-readable line per shape.</summary>
    private static void RunChild(BenchmarkOptions options, (int M, int K, int N)[] shapes, bool transA, bool transB)
    {
        Console.WriteLine($"core {OpenBlas.CoreName}");
        foreach (var (m, k, n) in shapes)
        {
            var data = new GemmData(m, k, n, transA, transB);
            var g = data.Time(options, GemmBackend.OpenBlas);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gflops {data.Label} {g.Median}"));
        }
    }

    private static (Dictionary<string, double>?, string?) RunChildProcess(BenchmarkOptions options, (int M, int K, int N)[] shapes, string? coreType)
    {
        string self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(GemmBenchmark).Assembly.Location);
        start.ArgumentList.Add("gemm");
        if (options.Quick) start.ArgumentList.Add("--quick");
        start.ArgumentList.Add(ChildSwitch);
        start.ArgumentList.Add("--op");
        start.ArgumentList.Add(options.Value("--op") ?? "NN");
        start.ArgumentList.Add("--shapes");
        start.ArgumentList.Add(string.Join(",", shapes.Select(s => $"{s.M}x{s.K}x{s.N}")));
        if (coreType is null) start.Environment.Remove(CoreTypeVariable);
        else start.Environment[CoreTypeVariable] = coreType;
        start.Environment.Remove("FUSION_BLAS");

        Console.Error.WriteLine($"  OpenBLAS child process with {CoreTypeVariable}={coreType ?? "(unset)"} ...");
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        var results = new Dictionary<string, double>();
        string? core = null;
        while (process.StandardOutput.ReadLine() is string line)
        {
            string[] parts = line.Split(' ');
            if (parts is ["core", var name]) core = name;
            else if (parts is ["gflops", var label, var value]) results[label] = double.Parse(value, CultureInfo.InvariantCulture);
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"  child failed ({process.ExitCode}): {errors.Result}");
            return (null, null);
        }
        return (results, core);
    }

    private static (int, int, int)[]? ParseShapes(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s =>
        {
            int[] v = s.Split('x').Select(int.Parse).ToArray();
            return v.Length == 3 ? (v[0], v[1], v[2]) : throw new ArgumentException($"shape '{s}' is not m x k x n (e.g. 32x300x64)");
        }).ToArray();

    /// <summary>Random A (m x k), B (k x n), C (m x n) for one shape.</summary>
    private sealed unsafe class GemmData
    {
        private readonly int m, k, n, lda, ldb;
        private readonly bool transA, transB;
        private readonly float[] a, b, c;

        public GemmData(int m, int k, int n, bool transA, bool transB)
        {
            (this.m, this.k, this.n, this.transA, this.transB) = (m, k, n, transA, transB);
            (lda, ldb) = (transA ? m : k, transB ? k : n);
            var random = new Random(42);
            a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            c = new float[m * n];
        }

        public string Label => $"{m}x{k}x{n}";

        private double Flops => 2.0 * m * n * k;

        /// <summary>Gemm.Multiply, forced to <paramref name="backend"/> or (null) left to its default choice.</summary>
        public (double Median, double Low, double High) Time(BenchmarkOptions options, GemmBackend? backend)
        {
            using IDisposable? scope = backend is GemmBackend forced ? Gemm.ForceBackend(forced) : null;
            return ToGflops(Measure(options, () => Gemm.Multiply(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n)));
        }

        public (double Median, double Low, double High) TimeManagedOneThread(BenchmarkOptions options)
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
                bool wide = ManagedGemm.Vector512Available;
                return ToGflops(Measure(options, () =>
                    ManagedGemm.Multiply(transA, transB, m, n, k, 1f, (float*)ia, lda, (float*)ib, ldb, 0f, (float*)ic, n, 1, wide)));
            }
        }

        private static TimingStats Measure(BenchmarkOptions options, Action action) =>
            options.Quick ? Timing.Measure(action, warmupSeconds: 0.1, samples: 7, sampleSeconds: 0.01) : Timing.Measure(action);

        private (double Median, double Low, double High) ToGflops(TimingStats t) => (Flops / t.Median / 1e9, Flops / t.P90 / 1e9, Flops / t.P10 / 1e9);
    }
}
