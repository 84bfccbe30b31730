using Fusion.Compiler.Emit;
using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Models;
using Fusion.Spec;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// A generated module for a method's reference check: a tiny YAML spec emitted, compiled and
/// constructed; every parameter set to fixed numbers; forward in eval mode (dropout off) on a
/// batch given as plain arrays. The test then computes the same output on its own
/// (<see cref="PlainMath"/>) from <see cref="Get"/> and compares.
/// </summary>
internal sealed class ReferenceModel
{
    private ReferenceModel(FusionSpec spec, FusionModel model)
    {
        Spec = spec;
        Model = model;
    }

    public FusionSpec Spec { get; }

    public FusionModel Model { get; }

    /// <summary>Emits, compiles and constructs <paramref name="yaml"/>, then sets every parameter with <see cref="FixedValue"/>.</summary>
    public static ReferenceModel Compile(string yaml, string name = "reference")
    {
        var read = SpecReader.Parse(yaml, name + ".yaml");
        Assert.False(read.HasErrors, string.Join("\n", read.Diagnostics));
        var emitted = ModuleEmitter.Emit(read.Spec!);
        Assert.False(emitted.HasErrors, string.Join("\n", emitted.Diagnostics));
        var compiled = GeneratedCompilation.Compile(emitted.Source!, read.Spec!);
        Assert.True(compiled.Assembly is not null, string.Join("\n", compiled.Diagnostics));
        var type = compiled.Assembly!.GetTypes().Single(t => t.IsSubclassOf(typeof(FusionModel)));
        var model = (FusionModel)Activator.CreateInstance(type, new RandomSource(0))!;
        model.Eval();
        var reference = new ReferenceModel(read.Spec!, model);
        reference.SetAll(FixedValue);
        return reference;
    }

    /// <summary>
    /// The fixed number for element <paramref name="index"/> of the <paramref name="ordinal"/>-th tensor
    /// of the state dict: in (-0.6, 0.6), different for every element and every tensor.
    /// </summary>
    public static float FixedValue(int ordinal, int index) => (float)(0.6 * Math.Sin(1.0 + 0.7 * index + 1.9 * ordinal));

    /// <summary>Sets every trainable parameter (not the buffers) from <paramref name="value"/>(ordinal, index).</summary>
    public void SetAll(Func<int, int, float> value)
    {
        var keys = Model.NamedParameters().Select(p => p.Name).ToList();
        for (int k = 0; k < keys.Count; k++)
        {
            int ordinal = k;
            Set(keys[k], Enumerable.Range(0, Get(keys[k]).Length).Select(i => value(ordinal, i)).ToArray());
        }
    }

    /// <summary>The values of a state-dict entry (parameter or buffer), row-major.</summary>
    public float[] Get(string key)
    {
        var state = Model.StateDict();
        Assert.True(state.ContainsKey(key), $"no state-dict key '{key}' (have: {string.Join(", ", state.Keys)})");
        return state[key].ToArray();
    }

    /// <summary>Replaces the values of a state-dict entry.</summary>
    public void Set(string key, float[] values)
    {
        var state = Model.StateDict();
        var shape = state[key].Shape.ToArray();
        var dict = new Dictionary<string, Tensor>(state.Select(p => new KeyValuePair<string, Tensor>(p.Key, p.Value)))
        {
            [key] = shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape),
        };
        using (Tensor.NoGrad())
        {
            Model.LoadStateDict(dict);
        }
    }

    /// <summary>Forward (eval mode) on one batch of the given columns.</summary>
    public FusionOutputs Forward(params DataColumn[] columns) => ForwardAndLoss(columns).Outputs;

    /// <summary>Forward and every loss term (eval mode) on one batch of the given columns (no loss when a target column is missing).</summary>
    public (FusionOutputs Outputs, LossBreakdown Loss) ForwardAndLoss(params DataColumn[] columns)
    {
        using var loader = new DataLoader(new Dataset(columns), new Dataset(columns).Count);
        var batch = loader.Epoch().Single();
        var outputs = Model.ForwardColumns(batch);
        bool hasTargets = Spec.Heads.All(h => h.Target is null || columns.Any(c => c.Name == h.Target));
        return (outputs, hasTargets ? Model.LossColumns(outputs, batch) : null!);
    }

    /// <summary>A vector modality column from rows <c>[B][d]</c>.</summary>
    public static DataColumn Vectors(string name, double[][] rows) =>
        DataColumn.FromFloats(name, rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), [rows[0].Length]);

    /// <summary>A sequence modality column from <c>[B][N][d]</c>, with optional lengths.</summary>
    public static DataColumn Sequences(string name, double[][][] samples, int[]? lengths = null) =>
        DataColumn.FromFloats(
            name,
            samples.SelectMany(s => s.SelectMany(r => r.Select(v => (float)v))).ToArray(),
            [samples[0].Length, samples[0][0].Length],
            lengths);

    /// <summary>Fixed inputs <c>[B][d]</c> in (-1, 1), different per <paramref name="salt"/>.</summary>
    public static double[][] FixedVectors(int batch, int width, int salt) =>
        Enumerable.Range(0, batch).Select(b => Enumerable.Range(0, width).Select(j => Math.Sin(0.3 + 1.1 * b + 0.53 * j + 2.3 * salt)).ToArray()).ToArray();

    /// <summary>Fixed inputs <c>[B][N][d]</c> in (-1, 1), different per <paramref name="salt"/>.</summary>
    public static double[][][] FixedSequences(int batch, int steps, int width, int salt) =>
        Enumerable.Range(0, batch).Select(b => FixedVectors(steps, width, salt * 17 + b)).ToArray();

    /// <summary>Asserts that <paramref name="actual"/> <c>[B, ...]</c> equals <paramref name="expected"/> rows within <paramref name="tolerance"/>.</summary>
    public static void AssertClose(double[][] expected, Tensor actual, double tolerance = 1e-4)
    {
        var values = actual.ToArray();
        Assert.Equal(expected.Sum(r => r.Length), values.Length);
        int i = 0;
        foreach (var row in expected)
        {
            foreach (var v in row)
            {
                Assert.True(Math.Abs(v - values[i]) <= tolerance * Math.Max(1, Math.Abs(v)), $"element {i}: expected {v}, got {values[i]}");
                i++;
            }
        }
    }
}
