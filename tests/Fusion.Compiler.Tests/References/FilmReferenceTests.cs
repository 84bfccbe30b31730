namespace Fusion.Compiler.Tests.References;

/// <summary>
/// FiLM (methods.md sections 0 and 2): <c>gamma(c) * x + beta(c)</c> with two separate Linear layers,
/// on a vector x and, per step, on a sequence x (then a mean pool over the valid steps).
/// </summary>
public sealed class FilmReferenceTests
{
    [Fact]
    public void Vector_x_is_scaled_and_shifted_by_the_condition()
    {
        const string yaml = """
            model: TinyFilm
            modalities:
              x: { shape: [3] }
              c: { shape: [2] }
            fusion:
              film: { op: film, inputs: [x, c] }
            heads:
              y: { type: regressor, input: film, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        var x = ReferenceModel.FixedVectors(3, 3, salt: 1);
        var c = ReferenceModel.FixedVectors(3, 2, salt: 2);
        var outputs = model.Forward(ReferenceModel.Vectors("x", x), ReferenceModel.Vectors("c", c));

        var expected = x.Select((row, s) => Modulate(model, row, c[s])).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["film"], 1e-5);
    }

    [Fact]
    public void Sequence_x_is_modulated_at_every_step()
    {
        const string yaml = """
            model: TinyFilmSequence
            modalities:
              x: { shape: [4, 3] }
              c: { shape: [2] }
            fusion:
              film:   { op: film, inputs: [x, c] }
              pooled: { op: pool, input: film, mode: mean }
            heads:
              y: { type: regressor, input: pooled, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        var x = ReferenceModel.FixedSequences(3, 4, 3, salt: 1);
        var c = ReferenceModel.FixedVectors(3, 2, salt: 2);
        int[] lengths = [4, 1, 3];
        var outputs = model.Forward(ReferenceModel.Sequences("x", x, lengths), ReferenceModel.Vectors("c", c));

        var expected = x.Select((steps, s) => PlainMath.Mean(steps.Take(lengths[s]).Select(step => Modulate(model, step, c[s])).ToList())).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["pooled"], 1e-5);
    }

    private static double[] Modulate(ReferenceModel model, double[] x, double[] condition) =>
        PlainMath.Add(
            PlainMath.Multiply(PlainMath.Linear(condition, model.Get("film.gamma.weight"), model.Get("film.gamma.bias")), x),
            PlainMath.Linear(condition, model.Get("film.beta.weight"), model.Get("film.beta.bias")));
}
