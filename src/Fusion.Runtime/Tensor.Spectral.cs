using System.Numerics;
using Fusion.Runtime.Compute;
using MathNet.Numerics.IntegralTransforms;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// Circular convolution of two batches of real vectors along the last axis (the core of
    /// compact bilinear pooling, MCB): <c>y_n = sum_k a_k b_{(n-k) mod D}</c>, computed as
    /// <c>real(IFFT(FFT(a) * FFT(b)))</c> in double precision (MathNet FFT, any length D;
    /// lengths that are not powers of two use Bluestein's algorithm). The inputs broadcast
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
        var abuf = ac.Buffer; int ao = ac.offset;
        var bbuf = bc.Buffer; int bo = bc.offset;
        var ybuf = result.Buffer;
        int chunks = Parallelism.Chunks(rows, (long)result.numel * 40);
        Parallelism.For(rows, chunks, (r0, r1) =>
        {
            var z = new Complex[d];
            for (int r = r0; r < r1; r++)
            {
                int o = r * d;
                // One complex FFT of z = a + i b gives both spectra.
                for (int n = 0; n < d; n++) z[n] = new Complex(abuf[ao + o + n], bbuf[bo + o + n]);
                Fourier.Forward(z, FourierOptions.Matlab);
                ProductOfPackedSpectra(z);
                Fourier.Inverse(z, FourierOptions.Matlab);
                for (int n = 0; n < d; n++) ybuf[o + n] = (float)z[n].Real;
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
                var z = new Complex[d];
                var gs = new Complex[d];
                for (int r = r0; r < r1; r++)
                {
                    int o = r * d;
                    for (int n = 0; n < d; n++)
                    {
                        z[n] = new Complex(abuf[ao + o + n], bbuf[bo + o + n]);
                        gs[n] = new Complex(gbuf[go + o + n], 0);
                    }
                    Fourier.Forward(z, FourierOptions.Matlab);
                    Fourier.Forward(gs, FourierOptions.Matlab);
                    // With A, B the spectra of a and b: da = IFFT(G conj(B)), db = IFFT(G conj(A)),
                    // both real, so one inverse FFT of G conj(B) + i G conj(A) yields da + i db.
                    for (int k = 0; k < d; k++)
                    {
                        var (ak, bk) = UnpackSpectra(z, k);
                        var gk = gs[k];
                        gs[k] = gk * Complex.Conjugate(bk) + Complex.ImaginaryOne * (gk * Complex.Conjugate(ak));
                    }
                    Fourier.Inverse(gs, FourierOptions.Matlab);
                    for (int n = 0; n < d; n++)
                    {
                        dabuf[o + n] = (float)gs[n].Real;
                        dbbuf[o + n] = (float)gs[n].Imaginary;
                    }
                }
            });
            a.AccumulateGrad(da);
            b.AccumulateGrad(db);
        }, "CircularConvolution");
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
