using System.Numerics.Tensors;

namespace Fusion.Runtime.Training;

/// <summary>
/// A linear probe: multinomial logistic regression on frozen features, the usual way to ask how
/// much of a label a learned representation holds linearly (as in CBMF's and CLIP's evaluations).
/// <para>Each feature is standardised with the training samples' mean and standard deviation
/// (a constant feature keeps scale 1); the probe is <c>softmax(W x + b)</c> with <c>W [classes,
/// width]</c>, fitted in double precision by minimising the mean cross-entropy plus
/// <c>penalty / 2 * ||W||^2</c> (the bias is not penalised) with accelerated gradient descent
/// (Nesterov momentum with a backtracking step size, restarted whenever the objective rises).
/// The objective is convex, the start is zero and nothing is random: the same samples give the
/// same probe.</para>
/// <para><see cref="Select"/> fits one probe per penalty and keeps the one with the best
/// validation accuracy (ties: the larger penalty).</para>
/// </summary>
public sealed class LinearProbe
{
    /// <summary>The penalties <see cref="Select"/> tries by default.</summary>
    public static readonly IReadOnlyList<double> DefaultPenalties = [1e-4, 1e-3, 1e-2, 1e-1];

    /// <summary>The penalty <see cref="Fit"/> uses when no validation data can choose one.</summary>
    public const double DefaultPenalty = 1e-3;

    private readonly double[] mean;
    private readonly double[] inverseScale;
    private readonly double[] parameters;   // [classes, width + 1]: each class's weights, then its bias

    private LinearProbe(int width, int classes, double penalty, double[] mean, double[] inverseScale, double[] parameters, int iterations)
    {
        Width = width;
        Classes = classes;
        Penalty = penalty;
        this.mean = mean;
        this.inverseScale = inverseScale;
        this.parameters = parameters;
        Iterations = iterations;
    }

    /// <summary>Number of features.</summary>
    public int Width { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>The L2 penalty on the weights.</summary>
    public double Penalty { get; }

    /// <summary>Gradient steps taken by the fit.</summary>
    public int Iterations { get; }

    /// <summary>Fits a probe to <paramref name="train"/> with one <paramref name="penalty"/>.</summary>
    public static LinearProbe Fit(ProbeSamples train, int classes, double penalty = DefaultPenalty, int maxIterations = 500)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "A probe needs at least 2 classes.");
        if (!(penalty >= 0)) throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "The penalty must be non-negative.");
        if (train.Count == 0) throw new ArgumentException("A probe needs at least one training sample.", nameof(train));
        train.Validate(classes, "training");
        int n = train.Count, d = train.Width;
        var (mean, inverseScale) = Standardisation(train);
        var rows = Rows(train.Features, n, d, mean, inverseScale);
        var objective = new Objective(rows, train.Labels, n, d, classes, penalty);
        var (parameters, iterations) = Minimise(objective, maxIterations);
        return new LinearProbe(d, classes, penalty, mean, inverseScale, parameters, iterations);
    }

    /// <summary>
    /// Fits one probe per penalty (default <see cref="DefaultPenalties"/>) on <paramref name="train"/>
    /// and returns the one with the best accuracy on <paramref name="validation"/> (ties: the larger
    /// penalty), with that accuracy.
    /// </summary>
    public static (LinearProbe Probe, double ValidationAccuracy) Select(ProbeSamples train, ProbeSamples validation, int classes, IReadOnlyList<double>? penalties = null, int maxIterations = 500)
    {
        penalties ??= DefaultPenalties;
        if (penalties.Count == 0) throw new ArgumentException("Give at least one penalty.", nameof(penalties));
        if (validation.Count == 0) throw new ArgumentException("Choosing a penalty needs validation samples.", nameof(validation));
        LinearProbe? best = null;
        double bestAccuracy = double.NegativeInfinity;
        foreach (double penalty in penalties.Order())
        {
            var probe = Fit(train, classes, penalty, maxIterations);
            double accuracy = probe.Accuracy(validation);
            if (accuracy >= bestAccuracy)
            {
                best = probe;
                bestAccuracy = accuracy;
            }
        }

        return (best!, bestAccuracy);
    }

    /// <summary>The most probable class of every sample of <paramref name="samples"/> (its labels are not read).</summary>
    public long[] Predict(ProbeSamples samples)
    {
        if (samples.Width != Width) throw new ArgumentException($"The probe reads {Width} features; the samples have {samples.Width}.", nameof(samples));
        int n = samples.Count;
        var rows = Rows(samples.Features, n, Width, mean, inverseScale);
        var predicted = new long[n];
        var logits = new double[Classes];
        for (int i = 0; i < n; i++)
        {
            Logits(parameters, rows.AsSpan(i * (Width + 1), Width + 1), logits);
            predicted[i] = Array.IndexOf(logits, logits.Max());
        }

        return predicted;
    }

    /// <summary>The fraction of <paramref name="samples"/> whose label the probe predicts.</summary>
    public double Accuracy(ProbeSamples samples)
    {
        if (samples.Count == 0) return double.NaN;
        var predicted = Predict(samples);
        int right = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            if (predicted[i] == samples.Labels[i]) right++;
        }

        return right / (double)samples.Count;
    }

    private static (double[] Mean, double[] InverseScale) Standardisation(ProbeSamples train)
    {
        int n = train.Count, d = train.Width;
        var mean = new double[d];
        var square = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = train.Features[i * d + j];
                mean[j] += v;
                square[j] += v * v;
            }
        }

        var inverseScale = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
            double variance = Math.Max(square[j] / n - mean[j] * mean[j], 0);
            inverseScale[j] = variance > 1e-12 ? 1 / Math.Sqrt(variance) : 1;
        }

        return (mean, inverseScale);
    }

    /// <summary>The standardised rows with a trailing 1 (the bias input): <c>[n, d + 1]</c>.</summary>
    private static double[] Rows(float[] features, int n, int d, double[] mean, double[] inverseScale)
    {
        var rows = new double[n * (d + 1)];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) rows[i * (d + 1) + j] = (features[i * d + j] - mean[j]) * inverseScale[j];
            rows[i * (d + 1) + d] = 1;
        }

        return rows;
    }

    private static void Logits(double[] parameters, ReadOnlySpan<double> row, Span<double> logits)
    {
        int stride = row.Length;
        for (int c = 0; c < logits.Length; c++) logits[c] = TensorPrimitives.Dot(parameters.AsSpan(c * stride, stride), row);
    }

    /// <summary>Accelerated gradient descent from zero with backtracking and function-value restarts.</summary>
    private static (double[] Parameters, int Iterations) Minimise(Objective objective, int maxIterations)
    {
        int size = objective.Size;
        var x = new double[size];
        var y = new double[size];
        var next = new double[size];
        var gradient = new double[size];
        double fx = objective.Value(x, null);
        double t = 1;
        double lipschitz = 1;
        int iteration = 0;
        while (iteration < maxIterations)
        {
            iteration++;
            double fy = objective.Value(y, gradient);
            double squaredNorm = TensorPrimitives.Dot(gradient, gradient);
            if (squaredNorm < 1e-14) break;
            double fnext;
            while (true)
            {
                for (int k = 0; k < size; k++) next[k] = y[k] - gradient[k] / lipschitz;
                fnext = objective.Value(next, null);
                if (fnext <= fy - 0.5 / lipschitz * squaredNorm + 1e-12 * Math.Abs(fy) || lipschitz > 1e12) break;
                lipschitz *= 2;
            }

            if (fnext > fx)
            {
                // the momentum overshot: restart from x with a plain gradient step next time
                x.CopyTo(y, 0);
                t = 1;
                continue;
            }

            double tNext = (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
            double momentum = (t - 1) / tNext;
            for (int k = 0; k < size; k++)
            {
                y[k] = next[k] + momentum * (next[k] - x[k]);
                x[k] = next[k];
            }

            bool settled = fx - fnext <= 1e-12 * Math.Max(1, Math.Abs(fx));
            fx = fnext;
            t = tNext;
            lipschitz *= 0.9;
            if (settled) break;
        }

        return (x, iteration);
    }

    /// <summary>Mean cross-entropy of <c>softmax(W x + b)</c> plus <c>penalty / 2 * ||W||^2</c>, and its gradient.</summary>
    private sealed class Objective(double[] rows, long[] labels, int n, int d, int classes, double penalty)
    {
        public int Size => classes * (d + 1);

        public double Value(double[] parameters, double[]? gradient)
        {
            int stride = d + 1;
            if (gradient is not null) Array.Clear(gradient);
            Span<double> logits = stackalloc double[classes];
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                var row = rows.AsSpan(i * stride, stride);
                Logits(parameters, row, logits);
                double max = TensorPrimitives.Max<double>(logits);
                double sum = 0;
                for (int c = 0; c < classes; c++) sum += Math.Exp(logits[c] - max);
                double logSum = max + Math.Log(sum);
                int label = (int)labels[i];
                loss += logSum - logits[label];
                if (gradient is null) continue;
                for (int c = 0; c < classes; c++)
                {
                    double coefficient = (Math.Exp(logits[c] - logSum) - (c == label ? 1 : 0)) / n;
                    var g = gradient.AsSpan(c * stride, stride);
                    TensorPrimitives.MultiplyAdd(row, coefficient, g, g);
                }
            }

            double value = loss / n;
            double squares = 0;
            for (int c = 0; c < classes; c++)
            {
                var w = parameters.AsSpan(c * stride, d);
                squares += TensorPrimitives.Dot(w, w);
                if (gradient is not null)
                {
                    var g = gradient.AsSpan(c * stride, d);
                    TensorPrimitives.MultiplyAdd(w, penalty, g, g);
                }
            }

            return value + 0.5 * penalty * squares;
        }
    }
}
