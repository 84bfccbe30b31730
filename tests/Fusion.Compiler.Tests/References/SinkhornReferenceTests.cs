namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The sinkhorn loss (methods.md sections 0 and 5) between two sequences of points: squared Euclidean
/// cost, <c>K = exp(-C / eps)</c>, uniform marginals, <c>v</c> starting at 1, each iteration <c>u = a / (K v)</c>
/// then <c>v = b / (K^T u)</c>, plan <c>diag(u) K diag(v)</c>, loss <c>&lt;P, C&gt;</c> averaged over the batch.
/// </summary>
public sealed class SinkhornReferenceTests
{
    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(0.5, 7)]
    [InlineData(0.2, 40)]
    public void Transport_cost_of_the_plan_after_the_given_iterations(double epsilon, int iterations)
    {
        string yaml = $$"""
            model: TinySinkhorn
            modalities:
              x: { shape: [3, 2] }
              y: { shape: [4, 2] }
            encoders:
              xs: { op: identity, input: x }
              ys: { op: identity, input: y }
              xv: { op: pool, input: x, mode: mean }
            heads:
              e: { type: embedding, input: xv, dim: 2 }
            losses:
              - { type: sinkhorn, name: ot, between: [xs, ys], epsilon: {{epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, iterations: {{iterations}} }
            """;
        var model = ReferenceModel.Compile(yaml);
        var x = AlignmentLossInputs.ScatteredSequences(2, 3, 2, salt: 1);
        var y = AlignmentLossInputs.ScatteredSequences(2, 4, 2, salt: 2);
        double loss = model.ForwardAndLoss(ReferenceModel.Sequences("x", x), ReferenceModel.Sequences("y", y)).Loss["ot"].Item();

        double expected = x.Select((points, s) => TransportCost(points, y[s], epsilon, iterations)).Average();
        Assert.Equal(expected, loss, 1e-4 * Math.Max(1, Math.Abs(expected)));
    }

    private static double TransportCost(double[][] x, double[][] y, double epsilon, int iterations)
    {
        int n = x.Length, m = y.Length;
        var cost = x.Select(p => y.Select(q => p.Select((v, j) => (v - q[j]) * (v - q[j])).Sum()).ToArray()).ToArray();
        var kernel = cost.Select(r => r.Select(c => Math.Exp(-c / epsilon)).ToArray()).ToArray();
        var u = new double[n];
        var v = Enumerable.Repeat(1.0, m).ToArray();
        for (int it = 0; it < iterations; it++)
        {
            for (int i = 0; i < n; i++) u[i] = 1.0 / n / Enumerable.Range(0, m).Sum(j => kernel[i][j] * v[j]);
            for (int j = 0; j < m; j++) v[j] = 1.0 / m / Enumerable.Range(0, n).Sum(i => kernel[i][j] * u[i]);
        }

        double total = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++) total += u[i] * kernel[i][j] * v[j] * cost[i][j];
        }

        return total;
    }
}
