using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// Entropic optimal-transport (Sinkhorn) loss (methods.md sections 0 and 5) between point
    /// sets x [B, n, d] and y [B, m, d] (or x [n, d] and y [m, d], a batch of one): squared
    /// Euclidean cost <c>C_ij = ||x_i - y_j||^2</c>, <c>K = exp(-C / eps)</c>, uniform marginals
    /// a = 1/n, b = 1/m, v starts at 1, and each of the <paramref name="iterations"/> updates
    /// <c>u = a / (K v)</c> then <c>v = b / (K^T u)</c>; the plan is <c>P = diag(u) K diag(v)</c> and
    /// the loss <c>&lt;P, C&gt;</c>, averaged over the batch. The loop is built from differentiable
    /// tensor ops, so gradients flow through every iteration (memory grows with the iterations).
    /// <para>
    /// Numerics. The plain form rescales each row of K by exp(min_j C_ij / eps), which leaves
    /// every plan iterate unchanged (u absorbs the factor) but keeps K's rows from underflowing.
    /// It stays finite while, for every j, some i has <c>C_ij - min_k C_ik</c> below about
    /// 80 eps (float32 exp range); for smaller eps relative to the cost spread pass
    /// <paramref name="logDomain"/> = true: the same iterates computed on log u, log v with
    /// log-sum-exp, finite for any eps &gt; 0 (slower: several [B, n, m] temporaries per step;
    /// in float32 the plan then carries a relative error of about C/eps times 6e-8). Small eps
    /// also slows Sinkhorn's convergence: iterations needed grow roughly like cost spread / eps.
    /// A non-finite result throws rather than returning NaN.
    /// </para>
    /// <para>
    /// Lengths. With <paramref name="xLengths"/> or <paramref name="yLengths"/> (<c>[B]</c>, each in [1, n]
    /// or [1, m]; null: every point is valid) the points at and after a sample's length are padding:
    /// each sample is transported as its unpadded sets, marginals <c>1 / length</c> on the valid points
    /// and 0 on the padded ones, v starting at 1 on the valid points; padded points get no mass, add
    /// nothing and receive no gradient, whatever they hold. Lengths use the log-domain iterates.
    /// </para>
    /// </summary>
    public static Tensor Sinkhorn(Tensor x, Tensor y, float eps, int iterations, bool logDomain = false, LongTensor? xLengths = null, LongTensor? yLengths = null)
    {
        if (x.Rank == 2 && y.Rank == 2 && xLengths is null && yLengths is null) return Sinkhorn(x.Unsqueeze(0), y.Unsqueeze(0), eps, iterations, logDomain);
        if (x.Rank != 3 || y.Rank != 3 || x.Size(0) != y.Size(0) || x.Size(2) != y.Size(2))
            throw new ArgumentException($"Sinkhorn expects x [B, n, d] and y [B, m, d] (or [n, d] and [m, d]); got {Layout.Format(x.Shape)} and {Layout.Format(y.Shape)}.");
        if (x.Size(0) == 0 || x.Size(1) == 0 || y.Size(1) == 0) throw new ArgumentException("Sinkhorn of an empty point set.");
        if (!(eps > 0f) || float.IsInfinity(eps)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Sinkhorn needs a positive, finite eps.");
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "Sinkhorn needs at least one iteration.");

        var cost = SquaredDistances(x, y);
        Tensor plan;
        if (xLengths is not null || yLengths is not null)
        {
            var logA = OnValidPoints(xLengths, x.Size(0), x.Size(1), "xLengths", marginal: true).Reshape(x.Size(0), x.Size(1), 1);
            var logB = OnValidPoints(yLengths, y.Size(0), y.Size(1), "yLengths", marginal: true).Reshape(y.Size(0), 1, y.Size(1));
            var logV = OnValidPoints(yLengths, y.Size(0), y.Size(1), "yLengths", marginal: false).Reshape(y.Size(0), 1, y.Size(1));
            plan = LogDomainPlan(cost, eps, iterations, logA, logB, logV);
        }
        else
        {
            plan = logDomain ? LogDomainPlan(cost, eps, iterations) : ScaledPlan(cost, eps, iterations);
        }

        var loss = (plan * cost).Sum([1, 2]).Mean();
        float value = loss.Item();
        if (!float.IsFinite(value))
            throw new ArithmeticException($"Sinkhorn loss is not finite ({value}) for eps = {eps}: the kernel underflowed; use a larger eps or logDomain: true.");
        return loss;
    }

    /// <summary>C [B, n, m] with C_ij = ||x_i||^2 + ||y_j||^2 - 2 x_i . y_j, clamped at 0 against rounding.</summary>
    private static Tensor SquaredDistances(Tensor x, Tensor y)
    {
        var xx = x.Square().Sum(-1, keepDim: true);                       // [B, n, 1]
        var yy = y.Square().Sum(-1, keepDim: true).Transpose(1, 2);       // [B, 1, m]
        var xy = Tensor.MatMul(x, y.Transpose(1, 2));                     // [B, n, m]
        return (xx + yy - xy * 2f).ClampMin(0f);
    }

    private static Tensor ScaledPlan(Tensor cost, float eps, int iterations)
    {
        int batch = cost.Size(0), n = cost.Size(1), m = cost.Size(2);
        Tensor rowMin;
        using (Autograd.NoGrad())
        {
            using var detached = cost.Detach();
            rowMin = detached.Min(-1, keepDim: true);                     // constant: the plan does not depend on it
        }
        var kernel = ((cost - rowMin) * (-1f / eps)).Exp();               // [B, n, m]
        var kernelT = kernel.Transpose(1, 2);
        float a = 1f / n, b = 1f / m;
        var v = Tensor.Ones(batch, m, 1);
        Tensor u = v;
        for (int it = 0; it < iterations; it++)
        {
            u = a / Tensor.MatMul(kernel, v);                             // [B, n, 1]
            v = b / Tensor.MatMul(kernelT, u);                            // [B, m, 1]
        }
        return u * kernel * v.Transpose(1, 2);
    }

    private static Tensor LogDomainPlan(Tensor cost, float eps, int iterations)
    {
        int batch = cost.Size(0), n = cost.Size(1), m = cost.Size(2);
        var logKernel = cost * (-1f / eps);                               // [B, n, m]
        float logA = -MathF.Log(n), logB = -MathF.Log(m);
        var logV = Tensor.Zeros(batch, 1, m);                             // v = 1, as a row
        Tensor logU = Tensor.Zeros(batch, n, 1);
        for (int it = 0; it < iterations; it++)
        {
            logU = logA - (logKernel + logV).LogSumExp(2, keepDim: true); // [B, n, 1]
            logV = logB - (logKernel + logU).LogSumExp(1, keepDim: true); // [B, 1, m]
        }
        return (logU + logKernel + logV).Exp();
    }

    /// <summary>
    /// The log-domain iterates with per-sample marginals: <paramref name="logA"/> <c>[B, n, 1]</c> and
    /// <paramref name="logB"/> <c>[B, 1, m]</c> hold <c>log(1 / length)</c> on valid points and
    /// <see cref="NoMass"/> on padded ones; <paramref name="logV"/> <c>[B, 1, m]</c>, the start, is 0 (v = 1) on the
    /// valid points and <see cref="NoMass"/> on the padded ones.
    /// </summary>
    private static Tensor LogDomainPlan(Tensor cost, float eps, int iterations, Tensor logA, Tensor logB, Tensor logV)
    {
        var logKernel = cost * (-1f / eps);                               // [B, n, m]
        Tensor logU = logA;
        for (int it = 0; it < iterations; it++)
        {
            logU = logA - (logKernel + logV).LogSumExp(2, keepDim: true); // [B, n, 1]
            logV = logB - (logKernel + logU).LogSumExp(1, keepDim: true); // [B, 1, m]
        }
        return (logU + logKernel + logV).Exp();
    }

    /// <summary>The log of "no mass" at a padded point: finite (no inf - inf), and exp of it and of any sum with it is 0.</summary>
    private const float NoMass = -1e30f;

    /// <summary>
    /// <c>[B, points]</c>: at the valid points of every sample the log of the uniform marginal <c>-log(length)</c>
    /// (<paramref name="marginal"/>) or 0, and <see cref="NoMass"/> after them.
    /// </summary>
    private static Tensor OnValidPoints(LongTensor? lengths, int batch, int points, string name, bool marginal)
    {
        var values = new float[batch * points];
        if (lengths is null)
        {
            Array.Fill(values, marginal ? -MathF.Log(points) : 0f);
            return Tensor.FromArray(values, batch, points);
        }

        if (lengths.Rank != 1 || lengths.Size(0) != batch)
            throw new ArgumentException($"Sinkhorn: {name} must be [{batch}]; got {Layout.Format(lengths.Shape)}.");
        var span = lengths.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            long length = span[b];
            if (length < 1 || length > points)
                throw new ArgumentOutOfRangeException(name, length, $"Sinkhorn: the length of sample {b} must lie in [1, {points}].");
            values.AsSpan(b * points, points).Fill(NoMass);
            values.AsSpan(b * points, (int)length).Fill(marginal ? -MathF.Log(length) : 0f);
        }

        return Tensor.FromArray(values, batch, points);
    }
}
