using System.Numerics;
using Fusion.Runtime.Compute;
using MathNet.Numerics.IntegralTransforms;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// Circular convolution of two batches of real vectors along the last axis (the core of
    /// compact bilinear pooling, MCB): <c>y_n = sum_k a_k b_{(n-k) mod D}</c>, computed as
    /// <c>real(IFFT(FFT(a) * FFT(b)))</c> in double precision with MathNet's FFT (any length D:
    /// a power of two directly, other lengths as a zero-padded linear convolution of
    /// power-of-two length folded back modulo D, which gives the same sum). The inputs broadcast
    /// against each other in the leading dimensions and must have the same last dimension D.
    /// Backward: circular cross-correlations <c>da_k = sum_n g_n b_{(n-k) mod D}</c> and
    /// <c>db_j = sum_n g_n a_{(n-j) mod D}</c>, also by FFT.
    /// </summary>
    public static Tensor CircularConvolution(Tensor a, Tensor b)
    {
        if (a.Rank == 0 || b.Rank == 0) throw new ArgumentException("CircularConvolution needs tensors of rank 1 or more.");
        int d = a.shape[^1];
        if (b.shape[^1] != d)
            throw new ArgumentException($"CircularConvolution: last dimensions differ ({Layout.Format(a.shape)} and {Layout.Format(b.shape)}).");
        var outShape = Layout.Broadcast(a.shape, b.shape);
        var ac = ExpandedContiguous(a, outShape);
        var bc = ExpandedContiguous(b, outShape);
        var result = Allocate(outShape);
        int rows = d == 0 ? 0 : result.numel / d;
        int m = SpectralLength(d);
        var abuf = ac.Buffer; int ao = ac.offset;
        var bbuf = bc.Buffer; int bo = bc.offset;
        var ybuf = result.Buffer;
        int chunks = Parallelism.Chunks(rows, (long)rows * m * 20);
        Parallelism.For(rows, chunks, (r0, r1) =>
        {
            var z = SpectralBuffer(m, 0);
            for (int r = r0; r < r1; r++)
            {
                int o = r * d;
                // One complex FFT of z = a + i b (zero-padded to m) gives both spectra.
                Array.Clear(z);
                for (int n = 0; n < d; n++) z[n] = new Complex(abuf[ao + o + n], bbuf[bo + o + n]);
                Fourier.Forward(z, FourierOptions.Matlab);
                ProductOfPackedSpectra(z);
                Fourier.Inverse(z, FourierOptions.Matlab);
                FoldReal(z, ybuf.AsSpan(o, d));
            }
        });
        if (!Autograd.NeedsGrad([a, b]))
        {
            if (!ReferenceEquals(ac, a)) ac.Dispose();
            if (!ReferenceEquals(bc, b)) bc.Dispose();
            return result;
        }
        return Autograd.Record(result, [a, b], g =>
        {
            var da = Allocate(outShape);
            var db = Allocate(outShape);
            var gbuf = g.Buffer; int go = g.offset;
            var dabuf = da.Buffer; var dbbuf = db.Buffer;
            Parallelism.For(rows, chunks, (r0, r1) =>
            {
                var z = SpectralBuffer(m, 0);
                var gs = SpectralBuffer(m, 1);
                for (int r = r0; r < r1; r++)
                {
                    int o = r * d;
                    // da = g (*) reverse(b), db = g (*) reverse(a), reverse(x)_j = x_{-j mod D}:
                    // the cross-correlations written as circular convolutions.
                    Array.Clear(z);
                    Array.Clear(gs);
                    for (int n = 0; n < d; n++)
                    {
                        int rev = n == 0 ? 0 : d - n;
                        z[n] = new Complex(bbuf[bo + o + rev], abuf[ao + o + rev]);
                        gs[n] = new Complex(gbuf[go + o + n], 0);
                    }
                    Fourier.Forward(z, FourierOptions.Matlab);
                    Fourier.Forward(gs, FourierOptions.Matlab);
                    // Both results are real, so one inverse FFT of G Brev + i G Arev yields da + i db.
                    for (int k = 0; k < m; k++)
                    {
                        var (brev, arev) = UnpackSpectra(z, k);
                        var gk = gs[k];
                        gs[k] = gk * brev + Complex.ImaginaryOne * (gk * arev);
                    }
                    Fourier.Inverse(gs, FourierOptions.Matlab);
                    FoldReal(gs, dabuf.AsSpan(o, d));
                    FoldImaginary(gs, dbbuf.AsSpan(o, d));
                }
            });
            a.AccumulateGrad(da);
            b.AccumulateGrad(db);
        }, "CircularConvolution");
    }

    /// <summary>
    /// The FFT length for circular convolutions of length d: d itself when it is a power of two,
    /// else the power of two m &gt;= 2d - 1, where the zero-padded linear convolution is exact and
    /// folds onto the circular one (y_n = c_n + c_{n+d}); radix-2 FFTs are much faster than
    /// MathNet's Bluestein transform of the odd length.
    /// </summary>
    private static int SpectralLength(int d)
    {
        if (d <= 1 || (d & (d - 1)) == 0) return Math.Max(d, 1);
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * d - 1));
    }

    [ThreadStatic] private static Complex[]?[]? spectralBuffers;

    /// <summary>A per-thread scratch array of exactly <paramref name="length"/> elements (slot 0 or 1).</summary>
    private static Complex[] SpectralBuffer(int length, int slot)
    {
        var buffers = spectralBuffers ??= new Complex[]?[2];
        var buffer = buffers[slot];
        if (buffer is null || buffer.Length != length) buffers[slot] = buffer = new Complex[length];
        return buffer;
    }

    /// <summary>y_n = sum over t = n mod d of real(c_t): the circular fold of a linear convolution.</summary>
    private static void FoldReal(Complex[] c, Span<float> y)
    {
        int d = y.Length;
        for (int n = 0; n < d; n++)
        {
            double s = 0;
            for (int t = n; t < c.Length; t += d) s += c[t].Real;
            y[n] = (float)s;
        }
    }

    /// <summary>As <see cref="FoldReal"/> with the imaginary parts.</summary>
    private static void FoldImaginary(Complex[] c, Span<float> y)
    {
        int d = y.Length;
        for (int n = 0; n < d; n++)
        {
            double s = 0;
            for (int t = n; t < c.Length; t += d) s += c[t].Imaginary;
            y[n] = (float)s;
        }
    }

    /// <summary>The input expanded to <paramref name="shape"/> as a contiguous tensor, untracked (the input itself when already so).</summary>
    private static Tensor ExpandedContiguous(Tensor x, int[] shape)
    {
        if (x.contiguous && Layout.SameShape(x.shape, shape)) return x;
        using var _ = Autograd.NoGrad();
        using var view = x.Expand(shape);
        return view.CopyContiguousUntracked();
    }

    /// <summary>
    /// Given Z = FFT(a + i b) of real a, b, the spectra at bin k:
    /// A_k = (Z_k + conj(Z_{-k})) / 2 and B_k = (Z_k - conj(Z_{-k})) / (2i).
    /// </summary>
    private static (Complex A, Complex B) UnpackSpectra(Complex[] z, int k)
    {
        var zk = z[k];
        var zm = Complex.Conjugate(z[k == 0 ? 0 : z.Length - k]);
        return ((zk + zm) * 0.5, (zk - zm) * new Complex(0, -0.5));
    }

    /// <summary>Replaces Z = FFT(a + i b) by the product A * B of the two real signals' spectra.</summary>
    private static void ProductOfPackedSpectra(Complex[] z)
    {
        int d = z.Length;
        // Bins k and d-k depend on each other: compute both before overwriting either.
        for (int k = 0; k <= d / 2; k++)
        {
            int m = k == 0 ? 0 : d - k;
            var (ak, bk) = UnpackSpectra(z, k);
            var (am, bm) = UnpackSpectra(z, m);
            z[k] = ak * bk;
            z[m] = am * bm;
        }
    }
}
