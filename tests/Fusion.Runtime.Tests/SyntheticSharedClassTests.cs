using Fusion.Runtime.Data;
using Fusion.Runtime.Training;

namespace Fusion.Runtime.Tests;

/// <summary>
/// The synthetic generator's optional class label of the shared latent (for linear probes of
/// alignment-only models): it leaves every other column's bytes alone, its classes are balanced,
/// and both views carry it.
/// </summary>
public sealed class SyntheticSharedClassTests
{
    private static readonly ModalityDescriptor[] Modalities =
    [
        new("a", [6], ModalityKind.Vector),
        new("b", [-1, 5], ModalityKind.Sequence),
    ];

    private static readonly TargetDescriptor[] Targets = [new("score", TargetKind.Regression, 1)];

    private static SyntheticOptions Options => new() { Samples = 1200, Latent = 2, Noise = 0.05, Seed = 3, OpenLength = 6 };

    [Fact]
    public void The_other_columns_keep_their_bytes()
    {
        var plain = SyntheticData.Generate(Modalities, Targets, Options);
        var labelled = SyntheticData.Generate(Modalities, Targets, Options with { SharedClassColumn = "shared_class", SharedClasses = 3 });
        Assert.Equal(["a", "b", "score", "shared_class"], labelled.Columns.Select(c => c.Name));
        foreach (var column in plain.Columns)
        {
            var other = labelled[column.Name];
            Assert.Equal(column.Floats, other.Floats);
            Assert.Equal(column.Lengths, other.Lengths);
        }
    }

    [Fact]
    public void The_classes_are_balanced_int64_labels()
    {
        var data = SyntheticData.Generate(Modalities, Targets, Options with { SharedClassColumn = "shared_class", SharedClasses = 3 });
        var column = data["shared_class"];
        Assert.Equal(DataType.Int64, column.Type);
        Assert.Empty(column.SampleShape);
        Assert.Equal([400, 400, 400], column.Longs!.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public void Either_view_predicts_the_shared_class_but_not_a_private_factor_target()
    {
        var data = SyntheticData.Generate(Modalities, [new TargetDescriptor("private_class", TargetKind.Classification, 2)], Options with { SharedClassColumn = "shared_class", SharedClasses = 2 });
        var parts = data.Split([0.5, 0.25, 0.25], new RandomSource(0));
        double Probe(string label)
        {
            ProbeSamples Part(Dataset d) => new(d["a"].Floats!, 6, d[label].Longs!);
            var (probe, _) = LinearProbe.Select(Part(parts[0]), Part(parts[1]), 2);
            return probe.Accuracy(Part(parts[2]));
        }

        // a sees z (shared) and its own private factors; the private-class target is an
        // interaction of a's and b's private factors, which a alone cannot predict linearly
        // (seen: 0.96 and 0.63)
        double shared = Probe("shared_class"), other = Probe("private_class");
        Assert.True(shared > 0.9, $"shared class from a: {shared}");
        Assert.True(other < 0.7 && shared - other > 0.25, $"private class from a: {other}, shared: {shared}");
    }

    [Fact]
    public void A_shared_class_column_named_like_a_modality_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => SyntheticData.Generate(Modalities, Targets, Options with { SharedClassColumn = "a" }));
        Assert.Contains("'a'", error.Message);
    }
}
