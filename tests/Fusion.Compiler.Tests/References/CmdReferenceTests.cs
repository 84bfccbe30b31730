namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The cmd loss (methods.md section 4) between two nodes: <c>||E x - E y|| + sum_{k=2..K} ||c_k(x) - c_k(y)||</c>
/// with <c>c_k</c> the k-th central moment per dimension over the batch.
/// </summary>
public sealed class CmdReferenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Sum_of_the_moment_distances(int moments)
    {
        string yaml = $$"""
            model: TinyCmd
            modalities:
              a: { shape: [3] }
              b: { shape: [3] }
            encoders:
              ha: { op: identity, input: a }
              hb: { op: identity, input: b }
            heads:
              e: { type: embedding, input: ha, dim: 2 }
            losses:
              - { type: cmd, name: similarity, between: [ha, hb], moments: {{moments}} }
            """;
        var model = ReferenceModel.Compile(yaml);
        var a = AlignmentLossInputs.Scattered(6, 3, salt: 1);
        var b = AlignmentLossInputs.Scattered(6, 3, salt: 2).Select(r => PlainMath.Map(r, v => 0.5 * v * v + 0.2)).ToArray();
        double loss = model.ForwardAndLoss(ReferenceModel.Vectors("a", a), ReferenceModel.Vectors("b", b)).Loss["similarity"].Item();

        double expected = PlainMath.Cmd(a, b, moments);
        Assert.Equal(expected, loss, 1e-5);
    }
}
