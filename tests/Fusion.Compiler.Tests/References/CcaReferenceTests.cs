using static Fusion.Compiler.Tests.References.PlainLinearAlgebra;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The cca loss (methods.md sections 0 and 5): centre both views (one sample per row),
/// <c>S_12 = H_1^T H_2 / (m - 1)</c>, <c>S_11, S_22</c> plus <c>r I</c>, <c>T = S_11^-1/2 S_12 S_22^-1/2</c>
/// (inverse square roots by a plain Jacobi eigendecomposition), loss = minus the sum of T's singular
/// values, or of the top k.
/// </summary>
public sealed class CcaReferenceTests
{
    [Theory]
    [InlineData(0.001, null)]
    [InlineData(0.1, 1)]
    public void Minus_the_trace_norm_of_the_whitened_cross_covariance(double ridge, int? topK)
    {
        string k = topK is { } value ? $", top_k: {value}" : string.Empty;
        string yaml = $$"""
            model: TinyCca
            modalities:
              a: { shape: [3] }
              b: { shape: [2] }
            encoders:
              ha: { op: identity, input: a }
              hb: { op: identity, input: b }
            heads:
              e: { type: embedding, input: ha, dim: 2 }
            losses:
              - { type: cca, name: correlation, between: [ha, hb], r: {{ridge.ToString(System.Globalization.CultureInfo.InvariantCulture)}}{{k}} }
            """;
        var model = ReferenceModel.Compile(yaml);
        var a = AlignmentLossInputs.Scattered(9, 3, salt: 1);
        var b = AlignmentLossInputs.Scattered(9, 2, salt: 2).Select((r, s) => PlainMath.Add(r, PlainMath.Scale(a[s].Take(2).ToArray(), 0.8))).ToArray();
        double loss = model.ForwardAndLoss(ReferenceModel.Vectors("a", a), ReferenceModel.Vectors("b", b)).Loss["correlation"].Item();

        double[][] Centre(double[][] h)
        {
            var mean = PlainMath.Mean(h);
            return h.Select(r => r.Select((v, j) => v - mean[j]).ToArray()).ToArray();
        }

        double[][] Covariance(double[][] x, double[][] y, double ridgeOnDiagonal)
        {
            var s = Multiply(Transpose(x), y).Select(r => PlainMath.Scale(r, 1.0 / (a.Length - 1))).ToArray();
            for (int i = 0; i < Math.Min(s.Length, s[0].Length); i++) s[i][i] += ridgeOnDiagonal;
            return s;
        }

        var c1 = Centre(a);
        var c2 = Centre(b);
        var t = Multiply(Multiply(InverseSquareRoot(Covariance(c1, c1, ridge)), Covariance(c1, c2, 0)), InverseSquareRoot(Covariance(c2, c2, ridge)));
        var singular = SingularValues(t);
        double correlation = singular.Take(topK ?? singular.Length).Sum();
        Assert.InRange(correlation, 0.3, 2);
        Assert.Equal(-correlation, loss, 1e-4);
    }
}
