namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The reference side of the method checks: plain double-precision loops over arrays, written from
/// methods.md and PyTorch's documented formulas, sharing no code with the runtime. Weights come in
/// the PyTorch layout (<c>weight [out, in]</c>, row-major), as <see cref="ReferenceModel.Get"/> returns them.
/// </summary>
internal static class PlainMath
{
    /// <summary><c>W x + b</c> with <c>W [out, in]</c> row-major; no bias when <paramref name="bias"/> is null.</summary>
    public static double[] Linear(double[] x, float[] weight, float[]? bias)
    {
        int inWidth = x.Length;
        int outWidth = weight.Length / inWidth;
        Assert.Equal(outWidth * inWidth, weight.Length);
        var y = new double[outWidth];
        for (int o = 0; o < outWidth; o++)
        {
            double s = bias is null ? 0 : bias[o];
            for (int i = 0; i < inWidth; i++) s += weight[o * inWidth + i] * x[i];
            y[o] = s;
        }

        return y;
    }

    public static double[][] Linear(double[][] rows, float[] weight, float[]? bias) => rows.Select(r => Linear(r, weight, bias)).ToArray();

    public static double[] Map(double[] x, Func<double, double> f) => x.Select(f).ToArray();

    public static double Relu(double v) => Math.Max(0, v);

    public static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    public static double LeakyRelu(double v, double slope = 0.01) => v >= 0 ? v : slope * v;

    public static double Elu(double v) => v > 0 ? v : Math.Exp(v) - 1;

    /// <summary>Exact GELU: <c>x Phi(x)</c>.</summary>
    public static double Gelu(double v) => 0.5 * v * (1 + Erf(v / Math.Sqrt(2)));

    /// <summary>erf by its Taylor series (|x| &lt; 3) or the continued fraction's complement; better than 1e-12 in double.</summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax < 3)
        {
            double term = ax, sum = ax;
            for (int n = 1; n < 200; n++)
            {
                term *= -ax * ax / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17) break;
            }

            return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * sum;
        }

        // erfc(x) = exp(-x^2) / sqrt(pi) * 1 / (x + 1/2 / (x + 1 / (x + 3/2 / (x + ...))))
        double f = ax;
        for (int n = 60; n >= 1; n--) f = ax + n / 2.0 / f;
        double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / f;
        return Math.Sign(x) * (1 - erfc);
    }

    public static double[] Add(double[] a, double[] b) => a.Select((v, i) => v + b[i]).ToArray();

    public static double[] Multiply(double[] a, double[] b) => a.Select((v, i) => v * b[i]).ToArray();

    public static double[] Scale(double[] a, double s) => a.Select(v => v * s).ToArray();

    public static double Dot(double[] a, double[] b) => a.Select((v, i) => v * b[i]).Sum();

    public static double[] Concat(params double[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>LayerNorm over the vector: biased variance, eps 1e-5, then <c>gamma * x + beta</c>.</summary>
    public static double[] LayerNorm(double[] x, float[] gamma, float[] beta, double eps = 1e-5)
    {
        double mean = x.Average();
        double variance = x.Select(v => (v - mean) * (v - mean)).Average();
        double inv = 1 / Math.Sqrt(variance + eps);
        return x.Select((v, i) => (v - mean) * inv * gamma[i] + beta[i]).ToArray();
    }

    public static double[] Softmax(double[] x)
    {
        double max = x.Max();
        var e = x.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    /// <summary>Euclidean norm.</summary>
    public static double Norm(double[] v) => Math.Sqrt(Dot(v, v));

    /// <summary>
    /// Central moment discrepancy: <c>||E x - E y|| + sum_{k=2..K} ||c_k(x) - c_k(y)||</c>, with <c>c_k</c>
    /// the k-th central moment per dimension over the rows.
    /// </summary>
    public static double Cmd(double[][] x, double[][] y, int moments)
    {
        var meanX = Mean(x);
        var meanY = Mean(y);
        double total = Norm(meanX.Select((v, j) => v - meanY[j]).ToArray());
        for (int k = 2; k <= moments; k++)
        {
            int power = k;
            var cx = meanX.Select((mu, j) => x.Average(r => Math.Pow(r[j] - mu, power))).ToArray();
            var cy = meanY.Select((mu, j) => y.Average(r => Math.Pow(r[j] - mu, power))).ToArray();
            total += Norm(cx.Select((v, j) => v - cy[j]).ToArray());
        }

        return total;
    }

    /// <summary>Element-wise mean of rows.</summary>
    public static double[] Mean(IReadOnlyList<double[]> rows) =>
        Enumerable.Range(0, rows[0].Length).Select(j => rows.Average(r => r[j])).ToArray();

    /// <summary>
    /// PyTorch's <c>nn.MultiheadAttention</c> (batch-first, one sample): <c>in_proj_weight [3d, d]</c>
    /// split into q, k, v; per head <c>softmax(q k^T / sqrt(d/h))</c> over the keys not masked
    /// (<paramref name="keyPadding"/>[j] true = ignored); heads concatenated; <c>out_proj</c>.
    /// Returns the output <c>[Nq][d]</c> and the head-averaged weights <c>[Nq][Nk]</c>.
    /// </summary>
    public static (double[][] Output, double[][] Weights) MultiheadAttention(
        double[][] query, double[][] key, double[][] value, float[] inProjWeight, float[] inProjBias,
        float[] outProjWeight, float[] outProjBias, int heads, bool[]? keyPadding = null)
    {
        int d = query[0].Length;
        int headWidth = d / heads;
        float[] Rows(float[] w, int from, int count) => w.Skip(from * d).Take(count * d).ToArray();
        var q = Linear(query, Rows(inProjWeight, 0, d), inProjBias.Take(d).ToArray());
        var k = Linear(key, Rows(inProjWeight, d, d), inProjBias.Skip(d).Take(d).ToArray());
        var v = Linear(value, Rows(inProjWeight, 2 * d, d), inProjBias.Skip(2 * d).Take(d).ToArray());
        var concat = query.Select(_ => new double[d]).ToArray();
        var weights = query.Select(_ => new double[key.Length]).ToArray();
        for (int h = 0; h < heads; h++)
        {
            for (int i = 0; i < query.Length; i++)
            {
                var scores = new double[key.Length];
                for (int j = 0; j < key.Length; j++)
                {
                    double s = 0;
                    for (int c = 0; c < headWidth; c++) s += q[i][h * headWidth + c] * k[j][h * headWidth + c];
                    scores[j] = keyPadding is not null && keyPadding[j] ? double.NegativeInfinity : s / Math.Sqrt(headWidth);
                }

                var p = Softmax(scores);
                for (int j = 0; j < key.Length; j++)
                {
                    weights[i][j] += p[j] / heads;
                    for (int c = 0; c < headWidth; c++) concat[i][h * headWidth + c] += p[j] * v[j][h * headWidth + c];
                }
            }
        }

        return (Linear(concat, outProjWeight, outProjBias), weights);
    }

    /// <summary>
    /// PyTorch's <c>nn.TransformerEncoderLayer</c> (batch-first, eval mode: no dropout) on one sample,
    /// its parameters read as <paramref name="get"/>(<paramref name="prefix"/> + PyTorch key):
    /// post-norm <c>x = norm1(x + sa(x)); x = norm2(x + ff(x))</c>, or pre-norm
    /// <c>x = x + sa(norm1(x)); x = x + ff(norm2(x))</c>.
    /// </summary>
    public static double[][] TransformerEncoderLayer(
        double[][] x, Func<string, float[]> get, string prefix, int heads, bool normFirst = false,
        Func<double, double>? activation = null, bool[]? keyPadding = null)
    {
        activation ??= Relu;
        double[][] SelfAttention(double[][] h) => MultiheadAttention(
            h, h, h, get(prefix + "self_attn.in_proj_weight"), get(prefix + "self_attn.in_proj_bias"),
            get(prefix + "self_attn.out_proj.weight"), get(prefix + "self_attn.out_proj.bias"), heads, keyPadding).Output;
        double[][] FeedForward(double[][] h) => h.Select(r => Linear(
            Map(Linear(r, get(prefix + "linear1.weight"), get(prefix + "linear1.bias")), activation),
            get(prefix + "linear2.weight"), get(prefix + "linear2.bias"))).ToArray();
        double[][] Norm(double[][] h, string name) => h.Select(r => LayerNorm(r, get(prefix + name + ".weight"), get(prefix + name + ".bias"))).ToArray();
        double[][] Plus(double[][] a, double[][] b) => a.Select((r, i) => Add(r, b[i])).ToArray();

        if (normFirst)
        {
            x = Plus(x, SelfAttention(Norm(x, "norm1")));
            return Plus(x, FeedForward(Norm(x, "norm2")));
        }

        x = Norm(Plus(x, SelfAttention(x)), "norm1");
        return Norm(Plus(x, FeedForward(x)), "norm2");
    }
}
