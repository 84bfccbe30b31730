namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The dtw loss (methods.md section 5; Sakoe and Chiba 1978, soft-DTW of Cuturi and Blondel 2017):
/// the generated module's loss term equals a plain dynamic programme in this test,
/// <c>R_ij = C_ij + min_gamma(R_{i-1,j-1}, R_{i-1,j}, R_{i,j-1})</c> over each sample's valid steps,
/// averaged over the batch, for hard (gamma 0) and soft DTW and every cost.
/// </summary>
public sealed class DtwReferenceTests
{
    [Theory]
    [InlineData(0.0, "squared_euclidean")]
    [InlineData(0.3, "squared_euclidean")]
    [InlineData(0.0, "euclidean")]
    [InlineData(0.5, "cosine")]
    public void Loss_of_two_encoded_sequences_with_their_lengths_equals_the_plain_recursion(double gamma, string cost)
    {
        string yaml = $$"""
            model: TinyDtw
            modalities:
              a: { shape: [5, 3] }
              v: { shape: [4, 2] }
            encoders:
              a_steps: { op: linear, input: a, out: 2 }
              v_steps: { op: linear, input: v, out: 2 }
              a_vec: { op: pool, input: a_steps, mode: mean }
            heads:
              e: { type: embedding, input: a_vec, dim: 2 }
            losses:
              - { type: dtw, name: warp, between: [a_steps, v_steps], gamma: {{gamma.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, cost: {{cost}} }
            """;
        var model = ReferenceModel.Compile(yaml);
        var a = ReferenceModel.FixedSequences(3, 5, 3, salt: 1);
        var v = ReferenceModel.FixedSequences(3, 4, 2, salt: 2);
        int[] lengthsA = [5, 2, 4], lengthsV = [3, 4, 1];
        double loss = model.ForwardAndLoss(ReferenceModel.Sequences("a", a, lengthsA), ReferenceModel.Sequences("v", v, lengthsV)).Loss["warp"].Item();

        double expected = Enumerable.Range(0, 3).Average(b =>
        {
            var x = PlainMath.Linear(a[b].Take(lengthsA[b]).ToArray(), model.Get("a_steps.weight"), model.Get("a_steps.bias"));
            var y = PlainMath.Linear(v[b].Take(lengthsV[b]).ToArray(), model.Get("v_steps.weight"), model.Get("v_steps.bias"));
            return PlainDtw(x, y, cost, gamma);
        });
        Assert.Equal(expected, loss, 1e-4 * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void A_sequence_modality_against_a_node_uses_the_modality_as_given()
    {
        const string Yaml = """
            model: TinyDtwModality
            modalities:
              a: { shape: [4, 3] }
              target: { shape: [6, 2] }
            encoders:
              a_steps: { op: linear, input: a, out: 2 }
              a_vec: { op: pool, input: a_steps, mode: mean }
            heads:
              e: { type: embedding, input: a_vec, dim: 2 }
            losses:
              - { type: dtw, name: warp, between: [a_steps, target], gamma: 0 }
            """;
        var model = ReferenceModel.Compile(Yaml);
        var a = ReferenceModel.FixedSequences(2, 4, 3, salt: 3);
        var target = ReferenceModel.FixedSequences(2, 6, 2, salt: 4);
        int[] lengthsA = [4, 3], lengthsT = [2, 6];
        double loss = model.ForwardAndLoss(ReferenceModel.Sequences("a", a, lengthsA), ReferenceModel.Sequences("target", target, lengthsT)).Loss["warp"].Item();

        double expected = Enumerable.Range(0, 2).Average(b => PlainDtw(
            PlainMath.Linear(a[b].Take(lengthsA[b]).ToArray(), model.Get("a_steps.weight"), model.Get("a_steps.bias")),
            target[b].Take(lengthsT[b]).ToArray(),
            "squared_euclidean",
            0));
        Assert.Equal(expected, loss, 1e-4 * Math.Max(1, Math.Abs(expected)));
    }

    private static double PairCost(double[] p, double[] q, string cost)
    {
        double squared = p.Select((value, k) => (value - q[k]) * (value - q[k])).Sum();
        return cost switch
        {
            "squared_euclidean" => squared,
            "euclidean" => Math.Sqrt(squared),
            _ => 1 - PlainMath.Dot(p, q) / (Math.Sqrt(PlainMath.Dot(p, p)) * Math.Sqrt(PlainMath.Dot(q, q))),
        };
    }

    private static double PlainDtw(double[][] x, double[][] y, string cost, double gamma)
    {
        int n = x.Length, m = y.Length;
        var r = new double[n + 1, m + 1];
        for (int i = 0; i <= n; i++)
        {
            for (int j = 0; j <= m; j++)
            {
                r[i, j] = i == 0 && j == 0 ? 0 : double.PositiveInfinity;
            }
        }

        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                double[] previous = [r[i - 1, j - 1], r[i - 1, j], r[i, j - 1]];
                double min = previous.Min();
                double soft = gamma == 0 ? min : min - gamma * Math.Log(previous.Sum(p => Math.Exp(-(p - min) / gamma)));
                r[i, j] = PairCost(x[i - 1], y[j - 1], cost) + soft;
            }
        }

        return r[n, m];
    }
}
