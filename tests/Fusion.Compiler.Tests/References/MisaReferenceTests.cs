using Fusion.Runtime.Data;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The reference harness on the misa op (methods.md sections 0 and 4): with three inputs of widths
/// 3/4/5, hidden 4 and 2 heads, the generated module's fused vector and each node loss term (CMD
/// similarity, L_diff, L_rec), weighted into the total, equal a plain double-precision computation
/// written out here from the state dict.
/// </summary>
public sealed class MisaReferenceTests
{
    private const string Yaml = """
        model: TinyMisa
        modalities:
          a: { shape: [3] }
          b: { shape: [4] }
          c: { shape: [5] }
        fusion:
          misa: { op: misa, inputs: [a, b, c], hidden: 4, heads: 2, dropout: 0.1 }
        heads:
          y: { type: regressor, input: misa, outputs: 1 }
        losses:
          - { type: mse, head: y }
          - { type: cmd, name: similarity, node: misa, moments: 3, weight: 0.7 }
          - { type: difference, name: difference, node: misa, weight: 0.3 }
          - { type: reconstruction, name: reconstruction, node: misa, weight: 1.5 }
        """;

    private const int Batch = 5;

    private static readonly string[] Inputs = ["a", "b", "c"];

    [Fact]
    public void Fused_vector_and_every_loss_term_equal_the_plain_computation()
    {
        var model = ReferenceModel.Compile(Yaml);
        var x = new[] { ReferenceModel.FixedVectors(Batch, 3, salt: 1), ReferenceModel.FixedVectors(Batch, 4, salt: 2), ReferenceModel.FixedVectors(Batch, 5, salt: 3) };
        var target = Enumerable.Range(0, Batch).Select(b => (float)Math.Cos(0.4 + b)).ToArray();
        var (outputs, loss) = model.ForwardAndLoss(
            ReferenceModel.Vectors("a", x[0]),
            ReferenceModel.Vectors("b", x[1]),
            ReferenceModel.Vectors("c", x[2]),
            DataColumn.FromFloats("y", target, [1]));

        // per input m and sample b: u, p, s and u_hat
        var u = new double[3][][];
        var p = new double[3][][];
        var s = new double[3][][];
        var uHat = new double[3][][];
        for (int m = 0; m < 3; m++)
        {
            string input = Inputs[m];
            u[m] = x[m].Select(row => PlainMath.LayerNorm(
                PlainMath.Map(PlainMath.Linear(row, model.Get($"misa.project.{input}.weight"), model.Get($"misa.project.{input}.bias")), PlainMath.Relu),
                model.Get($"misa.project_norm.{input}.weight"), model.Get($"misa.project_norm.{input}.bias"))).ToArray();
            p[m] = u[m].Select(row => PlainMath.Map(PlainMath.Linear(row, model.Get($"misa.private.{input}.weight"), null), PlainMath.Sigmoid)).ToArray();
            s[m] = u[m].Select(row => PlainMath.Map(PlainMath.Linear(row, model.Get("misa.shared.weight"), null), PlainMath.Sigmoid)).ToArray();
            uHat[m] = p[m].Select((row, b) => PlainMath.Linear(PlainMath.Add(row, s[m][b]), model.Get($"misa.reconstruct.{input}.weight"), null)).ToArray();
        }

        // tokens p_1..p_M, s_1..s_M through one post-norm ReLU encoder layer, concatenated
        var fused = Enumerable.Range(0, Batch).Select(b =>
        {
            double[][] tokens = [p[0][b], p[1][b], p[2][b], s[0][b], s[1][b], s[2][b]];
            return PlainMath.Concat(PlainMath.TransformerEncoderLayer(tokens, model.Get, "misa.encoder.layers.0.", heads: 2));
        }).ToArray();
        ReferenceModel.AssertClose(fused, outputs.Representations["misa"]);

        double similarity = (PlainMath.Cmd(s[0], s[1], 3) + PlainMath.Cmd(s[0], s[2], 3) + PlainMath.Cmd(s[1], s[2], 3)) / 3;
        double difference = Diff(p[0], s[0]) + Diff(p[1], s[1]) + Diff(p[2], s[2]) + Diff(p[0], p[1]) + Diff(p[0], p[2]) + Diff(p[1], p[2]);
        double reconstruction = Enumerable.Range(0, 3).Average(m => Mse(uHat[m], u[m]));
        AssertScalar(similarity, loss["similarity"].ToArray()[0]);
        AssertScalar(difference, loss["difference"].ToArray()[0]);
        AssertScalar(reconstruction, loss["reconstruction"].ToArray()[0]);

        var prediction = outputs.Heads["y"].ToArray();
        double mse = target.Select((t, b) => (prediction[b] - (double)t) * (prediction[b] - t)).Average();
        AssertScalar(mse + 0.7 * similarity + 0.3 * difference + 1.5 * reconstruction, loss.Total.ToArray()[0]);
        Assert.True(difference > 1e-3 && similarity > 1e-3 && reconstruction > 1e-3, "a term too small to check anything");
    }

    /// <summary><c>mean((P~^T S~)^2)</c> with P~, S~ centred over the batch and each row L2-normalised.</summary>
    private static double Diff(double[][] pRows, double[][] sRows)
    {
        var pn = CentredUnitRows(pRows);
        var sn = CentredUnitRows(sRows);
        double sum = 0;
        for (int i = 0; i < pn[0].Length; i++)
        {
            for (int j = 0; j < sn[0].Length; j++)
            {
                double product = Enumerable.Range(0, pn.Length).Sum(b => pn[b][i] * sn[b][j]);
                sum += product * product;
            }
        }

        return sum / (pn[0].Length * sn[0].Length);
    }

    private static double[][] CentredUnitRows(double[][] rows)
    {
        var mean = PlainMath.Mean(rows);
        return rows.Select(r =>
        {
            var centred = r.Select((v, j) => v - mean[j]).ToArray();
            return PlainMath.Scale(centred, 1 / Math.Max(PlainMath.Norm(centred), 1e-12));
        }).ToArray();
    }

    private static double Mse(double[][] a, double[][] b) =>
        a.SelectMany((row, i) => row.Select((v, j) => (v - b[i][j]) * (v - b[i][j]))).Average();


    private static void AssertScalar(double expected, float actual, double tolerance = 1e-4) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
