using Fusion.Runtime.Training;

namespace Fusion.Runtime.Tests;

/// <summary>
/// The linear probe (multinomial logistic regression on frozen features): near 1 on linearly
/// separable classes, near chance on labels that are independent of the features, deterministic.
/// </summary>
public sealed class LinearProbeTests
{
    /// <summary>Gaussian features <c>[n, width]</c> and labels from <paramref name="label"/>.</summary>
    private static ProbeSamples Draw(int n, int width, ulong seed, Func<float[], RandomSource, long> label)
    {
        var random = new RandomSource(seed);
        var features = new float[n * width];
        var labels = new long[n];
        var row = new float[width];
        for (int i = 0; i < n; i++)
        {
            random.FillNormal(row);
            row.CopyTo(features, i * width);
            labels[i] = label(row, random);
        }

        return new ProbeSamples(features, width, labels);
    }

    /// <summary>Three classes by the largest of three fixed linear scores (with an unused, large, offset feature).</summary>
    private static long Separable(float[] x, RandomSource _)
    {
        x[5] = 40 + 10 * x[5];   // a feature on another scale, which standardisation must handle
        double a = x[0] + 0.5 * x[1], b = -x[0] + x[2], c = x[3] - x[4];
        return a >= b && a >= c ? 0 : b >= c ? 1 : 2;
    }

    [Fact]
    public void Linearly_separable_classes_are_predicted_almost_perfectly_on_new_samples()
    {
        var train = Draw(600, 6, 1, Separable);
        var validation = Draw(200, 6, 2, Separable);
        var test = Draw(600, 6, 3, Separable);
        var (probe, validationAccuracy) = LinearProbe.Select(train, validation, 3);
        Assert.True(probe.Accuracy(train) >= 0.98, $"train accuracy {probe.Accuracy(train)}");
        Assert.True(validationAccuracy >= 0.96, $"validation accuracy {validationAccuracy}");
        Assert.True(probe.Accuracy(test) >= 0.96, $"test accuracy {probe.Accuracy(test)}");
    }

    [Fact]
    public void Labels_independent_of_the_features_stay_at_chance_on_new_samples()
    {
        static long Noise(float[] _, RandomSource random) => random.NextInt(4);
        var train = Draw(1000, 10, 4, Noise);
        var validation = Draw(500, 10, 5, Noise);
        var test = Draw(2000, 10, 6, Noise);
        var (probe, _) = LinearProbe.Select(train, validation, 4);
        double accuracy = probe.Accuracy(test);
        // 2000 samples, chance 0.25: the standard error is about 0.01
        Assert.InRange(accuracy, 0.21, 0.29);
        Assert.InRange(test.MajorityShare(4), 0.25, 0.29);
    }

    [Fact]
    public void The_same_samples_give_the_same_predictions()
    {
        var train = Draw(300, 6, 7, Separable);
        var test = Draw(300, 6, 8, Separable);
        var first = LinearProbe.Fit(train, 3, 1e-3);
        var second = LinearProbe.Fit(train, 3, 1e-3);
        Assert.Equal(first.Predict(test), second.Predict(test));
        Assert.Equal(1e-3, first.Penalty);
        Assert.True(first.Iterations > 1);
    }

    [Fact]
    public void A_stronger_penalty_fits_the_training_samples_less_closely()
    {
        // 40 samples in 30 dimensions with random labels: a weak penalty memorises them, a strong one cannot
        static long Noise(float[] _, RandomSource random) => random.NextInt(2);
        var train = Draw(40, 30, 9, Noise);
        Assert.Equal(1.0, LinearProbe.Fit(train, 2, 1e-4, maxIterations: 2000).Accuracy(train));
        Assert.True(LinearProbe.Fit(train, 2, 10).Accuracy(train) < 0.95);
    }

    [Fact]
    public void Labels_outside_the_classes_and_ragged_features_are_refused()
    {
        var bad = new ProbeSamples([0f, 1f, 2f, 3f], 2, [0, 3]);
        var error = Assert.Throws<ArgumentException>(() => LinearProbe.Fit(bad, 3));
        Assert.Contains("label of sample 1 is 3, outside [0, 3)", error.Message);
        var ragged = new ProbeSamples([0f, 1f, 2f], 2, [0, 1]);
        Assert.Contains("3 values, not 2 x 2", Assert.Throws<ArgumentException>(() => LinearProbe.Fit(ragged, 2)).Message);
    }
}
