using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Models;
using Fusion.Spec;
using Fusion.Spec.Ir;
using ModalityKind = Fusion.Spec.Ir.ModalityKind;

namespace Fusion.Compiler.Tests;

/// <summary>
/// The sequence lengths of the batch flow through the generated encoders: padding a batch with
/// extra garbage steps (and filling the padded steps it had with other garbage), lengths unchanged,
/// changes no head output. Checked on a model of every sequence encoder and, automatically, on every
/// emitting model (specs/ and the coverage specs) that has a sequence or token input.
/// </summary>
public class SequencePaddingTests
{
    private const string Yaml = """
        model: Padded
        modalities:
          audio: { shape: [-1, 4] }
          style: { shape: [3] }
        encoders:
          audio_g:  { op: gru, input: audio, hidden: 5 }
          audio_c:  { op: conv1d, input: audio, channels: 6, kernel: 3, stride: 2, padding: 1 }
          audio_p:  { op: pool, input: audio_c, mode: mean }
          audio_x:  { op: pool, input: audio_c, mode: max }
          audio_t:  { op: transformer, input: audio, heads: 2, ff: 8, positional: sinusoidal }
          audio_l:  { op: lstm, input: audio_t, hidden: 3, bidirectional: true, return: all }
          audio_lp: { op: pool, input: audio_l, mode: last }
        fusion:
          joint: { op: concat, inputs: [audio_p, audio_x, audio_lp, style] }
        heads:
          y: { type: regressor, input: joint, outputs: 2 }
          g: { type: regressor, input: audio_g, outputs: 1 }
        losses:
          - { type: mse, head: y }
          - { type: mse, head: g }
        """;

    private static readonly int[] Lengths = [3, 7, 1, 5, 6];

    [Fact]
    public void Extra_garbage_steps_past_the_lengths_change_no_head_output()
    {
        var parsed = SpecReader.Parse(Yaml, "padded.yaml");
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
        var compiled = GeneratedCompilation.Compile(Emit.ModuleEmitter.Emit(parsed.Spec!).Source!, parsed.Spec!);
        Assert.True(compiled.Diagnostics.IsEmpty, string.Join("\n", compiled.Diagnostics));
        var type = compiled.Assembly!.GetTypes().Single(t => t.IsSubclassOf(typeof(FusionModel)));
        var model = (FusionModel)Activator.CreateInstance(type, new RandomSource(4))!;
        model.Eval();

        var random = new RandomSource(9);
        var style = new float[Lengths.Length * 3];
        random.FillNormal(style);
        var valid = new float[Lengths.Length * 7 * 4];
        random.FillNormal(valid);

        using var tightLoader = Loader(valid, style, steps: 7, new RandomSource(10));
        using var paddedLoader = Loader(valid, style, steps: 11, new RandomSource(11));
        var tight = model.ForwardColumns(tightLoader.Epoch().Single());
        var padded = model.ForwardColumns(paddedLoader.Epoch().Single());

        foreach (var head in tight.Heads.Keys)
        {
            var expected = tight.Heads[head].ToArray();
            var actual = padded.Heads[head].ToArray();
            Assert.Equal(expected.Length, actual.Length);
            Assert.Contains(expected, v => v != 0f);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"head {head}[{i}]: {expected[i]} without the extra steps, {actual[i]} with them");
            }
        }
    }

    /// <summary>Every emitting model (<see cref="TestModels.Emitting"/>) with at least one sequence or token modality.</summary>
    public static IEnumerable<object[]> SequenceModels() =>
        TestModels.Emitting().Where(row => TestModels.Load((string)row[0]).Modalities.Any(m => m.Kind is ModalityKind.Sequence or ModalityKind.Tokens));

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void Garbage_past_the_lengths_changes_no_output_of_an_emitting_model(string key)
    {
        var spec = TestModels.Load(key);
        var compiled = GeneratedCompilation.Compile(TestModels.Emit(key).Source!, spec);
        Assert.True(compiled.Diagnostics.IsEmpty, string.Join("\n", compiled.Diagnostics));
        var type = compiled.Assembly!.GetTypes().Single(t => t.IsSubclassOf(typeof(FusionModel)));
        var model = (FusionModel)Activator.CreateInstance(type, new RandomSource(4))!;
        model.Eval();

        const int batch = 4;
        var random = new RandomSource(21);
        var valid = new Dictionary<string, (float[] Values, int[]? Lengths)>();
        foreach (var m in spec.Modalities)
        {
            int steps = m.Shape.Dims[0] == Shape.Open ? RandomBatch.OpenLength : m.Shape.Dims[0];
            int row = m.Shape.Dims.Select(d => d == Shape.Open ? RandomBatch.OpenLength : d).Aggregate(1, (a, b) => a * b);
            var values = new float[batch * row];
            if (m.Kind == ModalityKind.Tokens)
            {
                for (int i = 0; i < values.Length; i++) values[i] = random.NextInt(m.Vocab!.Value);
            }
            else
            {
                random.FillNormal(values);
            }

            // one sample uses every step, the others fewer
            int[]? lengths = m.Kind is ModalityKind.Sequence or ModalityKind.Tokens
                ? Enumerable.Range(0, batch).Select(b => b == 0 ? steps : 1 + (b * 2 + 1) % Math.Max(steps - 1, 1)).ToArray()
                : null;
            valid[m.Name] = (values, lengths);
        }

        using var tightLoader = GarbageLoader(spec, valid, batch, extraSteps: 0, new RandomSource(22));
        using var paddedLoader = GarbageLoader(spec, valid, batch, extraSteps: 3, new RandomSource(23));
        var tight = model.ForwardColumns(tightLoader.Epoch().Single());
        var padded = model.ForwardColumns(paddedLoader.Epoch().Single());

        var compared = new List<string>();
        foreach (var (name, expectedTensor) in tight.Heads.Concat(tight.Representations))
        {
            if (expectedTensor.Rank != 2) continue;                 // a sequence's padded steps may hold anything
            var expected = expectedTensor.ToArray();
            var actual = padded[name].ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(
                    Math.Abs(expected[i] - actual[i]) <= 1e-4f * Math.Max(1f, Math.Abs(expected[i])),
                    $"{key}: output {name}[{i}] is {expected[i]} with one garbage and {actual[i]} with other garbage (and extra steps) past the lengths");
            }

            compared.Add(name);
        }

        Assert.NotEmpty(compared);
    }

    /// <summary>
    /// One batch of <paramref name="valid"/> with garbage (x100, or random token ids) after every length,
    /// <paramref name="extraSteps"/> more steps for a modality of open length.
    /// </summary>
    private static DataLoader GarbageLoader(FusionSpec spec, Dictionary<string, (float[] Values, int[]? Lengths)> valid, int batch, int extraSteps, RandomSource garbage)
    {
        var columns = new List<DataColumn>();
        foreach (var m in spec.Modalities)
        {
            var (values, lengths) = valid[m.Name];
            var dims = m.Shape.Dims.Select(d => d == Shape.Open ? RandomBatch.OpenLength : d).ToArray();
            if (lengths is null)
            {
                columns.Add(DataColumn.FromFloats(m.Name, values, dims));
                continue;
            }

            int steps = dims[0], stepWidth = dims.Skip(1).Aggregate(1, (a, b) => a * b);
            int paddedSteps = steps + (m.Shape.Dims[0] == Shape.Open ? extraSteps : 0);
            var shape = dims.ToArray();
            shape[0] = paddedSteps;
            var data = new float[batch * paddedSteps * stepWidth];
            if (m.Kind == ModalityKind.Tokens)
            {
                for (int i = 0; i < data.Length; i++) data[i] = garbage.NextInt(m.Vocab!.Value);
            }
            else
            {
                garbage.FillNormal(data, 0f, 100f);
            }

            for (int b = 0; b < batch; b++)
            {
                Array.Copy(values, b * steps * stepWidth, data, b * paddedSteps * stepWidth, lengths[b] * stepWidth);
            }

            columns.Add(m.Kind == ModalityKind.Tokens
                ? DataColumn.FromLongs(m.Name, data.Select(v => (long)v).ToArray(), shape, lengths)
                : DataColumn.FromFloats(m.Name, data, shape, lengths));
        }

        return new DataLoader(new Dataset(columns), batch);
    }

    /// <summary>One batch: the valid steps of <paramref name="valid"/> (7 steps a sample) in <paramref name="steps"/> steps, large garbage after each length.</summary>
    private static DataLoader Loader(float[] valid, float[] style, int steps, RandomSource garbage)
    {
        var audio = new float[Lengths.Length * steps * 4];
        garbage.FillNormal(audio);
        for (int i = 0; i < audio.Length; i++)
        {
            audio[i] *= 100f;
        }

        for (int b = 0; b < Lengths.Length; b++)
        {
            Array.Copy(valid, b * 7 * 4, audio, b * steps * 4, Lengths[b] * 4);
        }

        var data = new Dataset([
            DataColumn.FromFloats("audio", audio, [steps, 4], Lengths),
            DataColumn.FromFloats("style", style, [3]),
        ]);
        return new DataLoader(data, Lengths.Length);
    }
}
