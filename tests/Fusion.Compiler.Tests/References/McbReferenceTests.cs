namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Compact bilinear pooling (methods.md sections 0 and 2): the count sketches read back from the
/// registered buffers (<c>sketches.&lt;input&gt;.index</c>, <c>.sign</c>), then the circular convolution
/// <c>phi_n = sum_k a_k b_{(n - k) mod D}</c> computed as the direct sum (what <c>real(IFFT(FFT(a) FFT(b)))</c>
/// equals), then optionally the signed square root <c>sign(phi) sqrt(|phi|)</c> and L2 normalisation.
/// </summary>
public sealed class McbReferenceTests
{
    [Theory]
    [InlineData(7, false, false)]
    [InlineData(8, true, false)]
    [InlineData(5, false, true)]
    [InlineData(6, true, true)]
    public void Circular_convolution_of_the_count_sketches(int sketchWidth, bool signedSqrt, bool l2Normalize)
    {
        string yaml = $$"""
            model: TinyMcb
            modalities:
              a: { shape: [4] }
              b: { shape: [3] }
            fusion:
              mcb: { op: mcb, inputs: [a, b], out: {{sketchWidth}}, signed_sqrt: {{(signedSqrt ? "true" : "false")}}, l2_normalize: {{(l2Normalize ? "true" : "false")}}, seed: 3 }
            heads:
              y: { type: regressor, input: mcb, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        var a = ReferenceModel.FixedVectors(3, 4, salt: 1);
        var b = ReferenceModel.FixedVectors(3, 3, salt: 2);
        var outputs = model.Forward(ReferenceModel.Vectors("a", a), ReferenceModel.Vectors("b", b));

        double[] Sketch(double[] x, string input)
        {
            var index = model.Get($"mcb.sketches.{input}.index");
            var sign = model.Get($"mcb.sketches.{input}.sign");
            Assert.Equal(x.Length, index.Length);
            Assert.All(sign, v => Assert.True(v is 1f or -1f));
            var y = new double[sketchWidth];
            for (int i = 0; i < x.Length; i++)
            {
                int bucket = (int)index[i];
                Assert.True(bucket == index[i] && bucket >= 0 && bucket < sketchWidth);
                y[bucket] += sign[i] * x[i];
            }

            return y;
        }

        var expected = a.Select((_, s) =>
        {
            var sa = Sketch(a[s], "a");
            var sb = Sketch(b[s], "b");
            var phi = new double[sketchWidth];
            for (int n = 0; n < sketchWidth; n++)
            {
                for (int k = 0; k < sketchWidth; k++) phi[n] += sa[k] * sb[((n - k) % sketchWidth + sketchWidth) % sketchWidth];
            }

            if (signedSqrt) phi = PlainMath.Map(phi, v => Math.Sign(v) * Math.Sqrt(Math.Abs(v)));
            if (l2Normalize) phi = PlainMath.Scale(phi, 1 / Math.Sqrt(PlainMath.Dot(phi, phi)));
            return phi;
        }).ToArray();
        Assert.Contains(expected, row => row.Any(v => Math.Abs(v) > 0.05));
        ReferenceModel.AssertClose(expected, outputs.Representations["mcb"], 1e-4);
    }
}
