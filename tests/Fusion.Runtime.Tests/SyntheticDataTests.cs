using Fusion.Runtime.Data;

namespace Fusion.Runtime.Tests;

/// <summary>The synthetic generator's layout, determinism and target statistics.</summary>
public sealed class SyntheticDataTests
{
    private static readonly ModalityDescriptor[] Modalities =
    [
        new("v", [6], ModalityKind.Vector),
        new("seq", [-1, 4], ModalityKind.Sequence),
        new("img", [2, 3, 3], ModalityKind.Image),
        new("words", [8], ModalityKind.Tokens, Vocab: 20),
    ];

    private static readonly TargetDescriptor[] Targets =
    [
        new("cls", TargetKind.Classification, 4),
        new("reg", TargetKind.Regression, 2),
        new("tags", TargetKind.Multilabel, 3),
    ];

    private static Dataset Generate(ulong seed = 0, int samples = 400) =>
        SyntheticData.Generate(Modalities, Targets, new SyntheticOptions { Samples = samples, Seed = seed, OpenLength = 10 });

    [Fact]
    public void ColumnsHaveTheDeclaredShapesAndKinds()
    {
        var data = Generate();
        Assert.Equal(["v", "seq", "img", "words", "cls", "reg", "tags"], data.Columns.Select(c => c.Name));
        Assert.Equal(400, data.Count);
        Assert.Equal([6], data["v"].SampleShape);
        Assert.Equal([10, 4], data["seq"].SampleShape);
        Assert.Equal([2, 3, 3], data["img"].SampleShape);
        Assert.Equal([8], data["words"].SampleShape);
        Assert.Equal(DataType.Int64, data["words"].Type);
        Assert.Empty(data["cls"].SampleShape);
        Assert.Equal([2], data["reg"].SampleShape);
        Assert.Equal([3], data["tags"].SampleShape);
        new DataSchema(Modalities, Targets).Validate(data, "synthetic");
    }

    [Fact]
    public void SequencesHaveLengthsFromHalfToFullAndZerosBeyond()
    {
        var data = Generate();
        foreach (var (name, steps) in new[] { ("seq", 10), ("words", 8) })
        {
            var column = data[name];
            var lengths = column.Lengths!;
            Assert.All(lengths, l => Assert.InRange(l, (steps + 1) / 2, steps));
            Assert.Contains((steps + 1) / 2, lengths);
            Assert.Contains(steps, lengths);
            int width = column.RowLength / steps;
            for (int i = 0; i < data.Count; i++)
                for (int t = 0; t < steps; t++)
                    for (int j = 0; j < width; j++)
                    {
                        int at = (i * steps + t) * width + j;
                        double value = column.Floats is float[] f ? f[at] : column.Longs![at];
                        if (t >= lengths[i]) Assert.Equal(0.0, value);
                        else if (name == "words") Assert.InRange(value, 1, 19);
                        else Assert.NotEqual(0.0, value);
                    }
        }
    }

    [Fact]
    public void TokensUseTheWholeVocabulary()
    {
        var data = Generate();
        var used = new HashSet<long>();
        var words = data["words"];
        for (int i = 0; i < data.Count; i++)
            for (int t = 0; t < words.Lengths![i]; t++) used.Add(words.Longs![i * 8 + t]);
        Assert.Equal(Enumerable.Range(1, 19).Select(i => (long)i), used.Order());
    }

    [Fact]
    public void ClassesAreBalancedRegressionIsStandardisedMultilabelIsBinary()
    {
        var data = Generate();
        var counts = data["cls"].Longs!.GroupBy(c => c).OrderBy(g => g.Key).Select(g => g.Count());
        Assert.Equal([100, 100, 100, 100], counts);

        var reg = data["reg"].Floats!;
        for (int j = 0; j < 2; j++)
        {
            var column = Enumerable.Range(0, data.Count).Select(i => (double)reg[i * 2 + j]).ToArray();
            double mean = column.Average();
            Assert.Equal(0, mean, 4);
            Assert.Equal(1, Math.Sqrt(column.Average(v => (v - mean) * (v - mean))), 4);
        }
        var tags = data["tags"].Floats!;
        Assert.All(tags, v => Assert.True(v is 0f or 1f));
        for (int l = 0; l < 3; l++)
            Assert.InRange(Enumerable.Range(0, data.Count).Count(i => tags[i * 3 + l] == 1f), 120, 280); // s is symmetric about 0
    }

    [Fact]
    public void TheSameSeedGivesTheSameBytes()
    {
        var a = Generate(seed: 9);
        var b = Generate(seed: 9);
        var c = Generate(seed: 10);
        foreach (var column in a.Columns)
        {
            Assert.Equal(column.Floats, b[column.Name].Floats);
            Assert.Equal(column.Longs, b[column.Name].Longs);
            Assert.Equal(column.Lengths, b[column.Name].Lengths);
        }
        Assert.NotEqual(a["v"].Floats!, c["v"].Floats!);
        Assert.NotEqual(a["cls"].Longs!, c["cls"].Longs!);
    }

    [Fact]
    public void NoiseIsTheOnlyDifferenceBetweenNoiseLevels()
    {
        // Same seed, noise 0 and 0.5: the maps and latents are drawn first, so vectors differ by noise of about that size.
        var options = new SyntheticOptions { Samples = 500, Seed = 4, Noise = 0 };
        ModalityDescriptor[] one = [new("v", [6], ModalityKind.Vector)];
        var clean = SyntheticData.Generate(one, [], options)["v"].Floats!;
        var noisy = SyntheticData.Generate(one, [], options with { Noise = 0.5 })["v"].Floats!;
        double std = Math.Sqrt(clean.Zip(noisy, (x, y) => (double)(y - x) * (y - x)).Average());
        Assert.InRange(std, 0.45, 0.55);
        Assert.All(clean, v => Assert.InRange(v, -1f, 1f)); // tanh view
    }

    [Fact]
    public void TheAdditiveShareChangesOnlyTheTargetsAndSetsTheirAdditivePart()
    {
        // Regression targets of two vector modalities at shares 0, 0.15 (the default) and 0.6: the
        // views are the same bytes, and the target's correlation with the additive part
        // A = sum_m c_m · p_m is sqrt(share). A itself is the target at share 0.999 (standardised,
        // with sqrt(0.001) of the interaction left in it).
        ModalityDescriptor[] two = [new("a", [8], ModalityKind.Vector), new("b", [8], ModalityKind.Vector)];
        TargetDescriptor[] target = [new("y", TargetKind.Regression, 1)];
        var options = new SyntheticOptions { Samples = 4000, Seed = 6 };
        var pure = SyntheticData.Generate(two, target, options with { AdditiveShare = 0 });
        var some = SyntheticData.Generate(two, target, options);
        var most = SyntheticData.Generate(two, target, options with { AdditiveShare = 0.6 });
        var additive = SyntheticData.Generate(two, target, options with { AdditiveShare = 0.999 });
        foreach (var name in new[] { "a", "b" })
        {
            Assert.Equal(pure[name].Floats, some[name].Floats);
            Assert.Equal(pure[name].Floats, most[name].Floats);
        }
        double Corr(Dataset d) => Correlation(d["y"].Floats!, additive["y"].Floats!);
        Assert.InRange(Corr(pure), -0.06, 0.06);
        Assert.InRange(Corr(some), Math.Sqrt(0.15) - 0.06, Math.Sqrt(0.15) + 0.06);
        Assert.InRange(Corr(most), Math.Sqrt(0.6) - 0.06, Math.Sqrt(0.6) + 0.06);
    }

    private static double Correlation(float[] x, float[] y)
    {
        double mx = x.Average(v => (double)v), my = y.Average(v => (double)v), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    [Fact]
    public void OptionsAndDescriptorsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Generate(Modalities, Targets, new SyntheticOptions { Samples = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Generate(Modalities, Targets, new SyntheticOptions { Noise = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Generate(Modalities, Targets, new SyntheticOptions { AdditiveShare = -0.1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Generate(Modalities, Targets, new SyntheticOptions { AdditiveShare = 1 }));
        Assert.Throws<ArgumentException>(() => SyntheticData.Generate([], Targets));
        Assert.Throws<ArgumentException>(() => SyntheticData.Generate([new("v", [3], ModalityKind.Vector), new("v", [3], ModalityKind.Vector)], []));
    }
}
