using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Models;
using Fusion.Spec;

namespace Fusion.Compiler.Tests;

/// <summary>
/// The sequence lengths of the batch flow through the generated encoders: padding a batch with
/// extra garbage steps (and filling the padded steps it had with other garbage), lengths unchanged,
/// changes no head output.
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
