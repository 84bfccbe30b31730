using Fusion.Runtime.Kernels;

namespace Fusion.Runtime.Tests;

public sealed unsafe class GemmTests
{
    /// <summary>m, n, k: odd shapes, one that needs several k blocks, one wider than a column panel, two narrow ones (dot-product path).</summary>
    public static readonly (int M, int N, int K)[] Shapes = [(1, 1, 1), (7, 13, 5), (257, 300, 33), (33, 65, 600), (97, 530, 70), (64, 1, 300), (37, 5, 41)];

    public static TheoryData<int, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (var (m, n, k) in Shapes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    data.Add(m, n, k, transA, transB);
        return data;
    }

    private enum Path { Vector512, Vector256, OpenBlas, Default }

    [Vector512Theory]
    [MemberData(nameof(Cases))]
    public void Managed512MatchesDoubleReference(int m, int n, int k, bool transA, bool transB) =>
        CheckAgainstReference(Path.Vector512, m, n, k, transA, transB);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Managed256MatchesDoubleReference(int m, int n, int k, bool transA, bool transB) =>
        CheckAgainstReference(Path.Vector256, m, n, k, transA, transB);

    [OpenBlasTheory]
    [MemberData(nameof(Cases))]
    public void OpenBlasMatchesDoubleReference(int m, int n, int k, bool transA, bool transB) =>
        CheckAgainstReference(Path.OpenBlas, m, n, k, transA, transB);

    [Theory]
    [MemberData(nameof(Cases))]
    public void DefaultSelectionMatchesDoubleReference(int m, int n, int k, bool transA, bool transB) =>
        CheckAgainstReference(Path.Default, m, n, k, transA, transB);

    [Fact]
    public void ManagedBetaZeroIgnoresNaNInC() => CheckBetaZeroIgnoresNaN(GemmBackend.Managed);

    [OpenBlasFact]
    public void OpenBlasBetaZeroIgnoresNaNInC() => CheckBetaZeroIgnoresNaN(GemmBackend.OpenBlas);

    private static void CheckBetaZeroIgnoresNaN(GemmBackend backend)
    {
        var p = Problem.Random(9, 40, 17, false, false, seed: 5, alpha: 2f, beta: 0f);
        Array.Fill(p.C, float.NaN);
        (double[] expected, double[] scale) = p.Reference();
        using (Gemm.ForceBackend(backend))
            p.RunPublic();
        p.AssertClose(expected, scale);
    }

    [Fact]
    public void ManagedIsBitIdenticalRunToRunOnOneThread()
    {
        var p = Problem.Random(130, 200, 300, false, true, seed: 11, alpha: 0.75f, beta: 0.5f);
        float[] c0 = (float[])p.C.Clone();
        float[] first = p.RunManaged(threads: 1, useVector512: ManagedGemm.Vector512Available, (float[])c0.Clone());
        float[] second = p.RunManaged(threads: 1, useVector512: ManagedGemm.Vector512Available, (float[])c0.Clone());
        Assert.Equal(Bits(first), Bits(second));
    }

    [Fact]
    public void ManagedResultDoesNotDependOnThreadsOrVectorWidth()
    {
        var p = Problem.Random(300, 1100, 70, true, false, seed: 12, alpha: 1f, beta: 1f);
        float[] c0 = (float[])p.C.Clone();
        int[] oneThread = Bits(p.RunManaged(threads: 1, useVector512: false, (float[])c0.Clone()));
        Assert.Equal(oneThread, Bits(p.RunManaged(threads: 2, useVector512: false, (float[])c0.Clone())));
        if (ManagedGemm.Vector512Available)
        {
            Assert.Equal(oneThread, Bits(p.RunManaged(threads: 1, useVector512: true, (float[])c0.Clone())));
            Assert.Equal(oneThread, Bits(p.RunManaged(threads: 2, useVector512: true, (float[])c0.Clone())));
        }
    }

    [Fact]
    public void ForcedBackendIsReportedAndScopeRestores()
    {
        var p = Problem.Random(4, 5, 6, false, false, seed: 1, alpha: 1f, beta: 0f);
        using (Gemm.ForceBackend(GemmBackend.Managed))
        {
            Assert.Equal(GemmBackend.Managed, Gemm.SelectBackend(1000, 1000, 1000));
            p.RunPublic();
            Assert.Equal(GemmBackend.Managed, Gemm.LastBackend);
        }
        if (Gemm.OpenBlasAvailable)
        {
            using (Gemm.ForceBackend(GemmBackend.OpenBlas))
            {
                Assert.Equal(GemmBackend.OpenBlas, Gemm.SelectBackend(1, 1, 1));
                p.RunPublic();
                Assert.Equal(GemmBackend.OpenBlas, Gemm.LastBackend);
            }
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => Gemm.ForceBackend(GemmBackend.OpenBlas));
        }
        Assert.Equal(Gemm.ConfiguredBackend ?? Gemm.DefaultBackend(64, 64, 64), Gemm.SelectBackend(64, 64, 64));
    }

    [Fact]
    public void DefaultIsManagedForLargeProductsAndOpenBlasOnlyForSmallOrSkinnyOnesWhenPresent()
    {
        Assert.Equal(GemmBackend.Managed, Gemm.DefaultBackend(1024, 1024, 1024));
        Assert.Equal(GemmBackend.Managed, Gemm.DefaultBackend(256, 64, 8000));
        GemmBackend smallOrSkinny = Gemm.OpenBlasAvailable ? GemmBackend.OpenBlas : GemmBackend.Managed;
        Assert.Equal(smallOrSkinny, Gemm.DefaultBackend(8, 8, 8));
        Assert.Equal(smallOrSkinny, Gemm.DefaultBackend(256, 1, 300));
        Assert.Equal(smallOrSkinny, Gemm.DefaultBackend(1, 64, 300));
    }

    [Theory]
    [InlineData(null, true, null, false)]
    [InlineData("", true, null, false)]
    [InlineData(" Auto ", false, null, false)]
    [InlineData("managed", false, GemmBackend.Managed, false)]
    [InlineData("MANAGED", true, GemmBackend.Managed, false)]
    [InlineData("openblas", true, GemmBackend.OpenBlas, false)]
    [InlineData("openblas", false, GemmBackend.OpenBlas, true)]
    [InlineData("mkl", true, null, true)]
    public void BackendVariableIsParsed(string? value, bool openBlasAvailable, GemmBackend? backend, bool error)
    {
        var (parsed, message) = Gemm.ParseBackendVariable(value, openBlasAvailable);
        Assert.Equal(backend, parsed);
        Assert.Equal(error, message is not null);
        if (message is not null) Assert.Contains(Gemm.BackendVariable, message);
    }

    [Fact]
    public void MissingNativeLibraryIsReportedNotThrown()
    {
        Assert.False(OpenBlas.TryLoad("libfusion-no-such-blas.so.0", out nint handle));
        Assert.Equal(0, handle);
    }

    [Fact]
    public void KZeroScalesCByBeta()
    {
        float[] c = [1f, 2f, 3f, 4f, 5f, 6f];
        Gemm.Multiply(false, false, 2, 2, 0, 1f, [], 1, [], 2, 3f, c, 3);
        Assert.Equal([3f, 6f, 3f, 12f, 15f, 6f], c);
    }

    [Fact]
    public void ShortSpansAndStridesAreRejected()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a.AsSpan(0, 5), 3, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, true, 2, 2, 3, 1f, a, 3, b.AsSpan(0, 5), 3, 0f, c, 2));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, c.AsSpan(0, 3), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(true, false, 2, 2, 3, 1f, a, 1, b, 2, 0f, c, 2));
    }

    private static void CheckAgainstReference(Path path, int m, int n, int k, bool transA, bool transB)
    {
        foreach (var (alpha, beta) in new[] { (1.5f, -0.5f), (1f, 1f), (-0.25f, 0f) })
        {
            var p = Problem.Random(m, n, k, transA, transB, seed: m * 31 + n * 7 + k, alpha, beta);
            (double[] expected, double[] scale) = p.Reference();
            float[] c0 = (float[])p.C.Clone();
            float[] padding = p.CPadding();
            switch (path)
            {
                case Path.Vector512 or Path.Vector256:
                    foreach (int threads in new[] { 1, 2 })
                    {
                        p.C = p.RunManaged(threads, useVector512: path == Path.Vector512, (float[])c0.Clone());
                        p.AssertClose(expected, scale);
                        Assert.Equal(padding, p.CPadding()); // elements between n and ldc are never touched
                    }
                    continue;
                case Path.OpenBlas:
                    using (Gemm.ForceBackend(GemmBackend.OpenBlas)) p.RunPublic();
                    Assert.Equal(GemmBackend.OpenBlas, Gemm.LastBackend);
                    break;
                default:
                    p.RunPublic();
                    Assert.Equal(Gemm.SelectBackend(m, n, k), Gemm.LastBackend);
                    break;
            }
            p.AssertClose(expected, scale);
            Assert.Equal(padding, p.CPadding());
        }
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    /// <summary>One product with leading dimensions wider than the matrices and spans of exactly the needed length.</summary>
    private sealed class Problem
    {
        public required int M, N, K, Lda, Ldb, Ldc;
        public required bool TransA, TransB;
        public required float Alpha, Beta;
        public required float[] A, B;
        public required float[] C { get; set; }

        public static Problem Random(int m, int n, int k, bool transA, bool transB, int seed, float alpha, float beta)
        {
            var rng = new Random(seed);
            int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + 3, ldb = bCols + 5, ldc = n + 2;
            float[] Fill(int length)
            {
                var x = new float[length];
                for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
                return x;
            }
            return new Problem
            {
                M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc, TransA = transA, TransB = transB, Alpha = alpha, Beta = beta,
                A = Fill((aRows - 1) * lda + aCols), B = Fill((bRows - 1) * ldb + bCols), C = Fill((m - 1) * ldc + n),
            };
        }

        private double OpA(int i, int p) => TransA ? A[p * Lda + i] : A[i * Lda + p];
        private double OpB(int p, int j) => TransB ? B[j * Ldb + p] : B[p * Ldb + j];

        /// <summary>Naive triple loop in double precision, and per element alpha * sum |a b| + |beta c| for the tolerance.</summary>
        public (double[] Value, double[] Scale) Reference()
        {
            var value = new double[M * N];
            var scale = new double[M * N];
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++)
                {
                    double sum = 0, abs = 0;
                    for (int p = 0; p < K; p++)
                    {
                        double term = OpA(i, p) * OpB(p, j);
                        sum += term;
                        abs += Math.Abs(term);
                    }
                    double c = Beta == 0f ? 0.0 : Beta * (double)C[i * Ldc + j];
                    value[i * N + j] = Alpha * sum + c;
                    scale[i * N + j] = Math.Abs(Alpha) * abs + Math.Abs(c);
                }
            return (value, scale);
        }

        /// <summary>Float accumulation over k terms stays well within 1e-5 of the magnitude sum; a wrong or missing term does not.</summary>
        public void AssertClose(double[] expected, double[] scale)
        {
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++)
                {
                    double actual = C[i * Ldc + j], want = expected[i * N + j];
                    double tolerance = 1e-5 * scale[i * N + j] + 1e-7;
                    if (!(Math.Abs(actual - want) <= tolerance))
                        Assert.Fail($"C[{i},{j}] = {actual}, expected {want} (tolerance {tolerance:G3}) for {M}x{N}x{K} transA={TransA} transB={TransB} alpha={Alpha} beta={Beta}");
                }
        }

        public float[] CPadding()
        {
            var pad = new List<float>();
            for (int i = 0; i < M - 1; i++)
                for (int j = N; j < Ldc; j++) pad.Add(C[i * Ldc + j]);
            return [.. pad];
        }

        public void RunPublic() =>
            Gemm.Multiply(TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, C, Ldc);

        public float[] RunManaged(int threads, bool useVector512, float[] c)
        {
            fixed (float* pa = A)
            fixed (float* pb = B)
            fixed (float* pc = c)
                ManagedGemm.Multiply(TransA, TransB, M, N, K, Alpha, pa, Lda, pb, Ldb, Beta, pc, Ldc, threads, useVector512);
            return c;
        }
    }
}
