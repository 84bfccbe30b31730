using MathNet.Numerics;

namespace Fusion.Runtime.Data;

/// <summary>
/// Seeded synthetic multimodal data whose targets need fusion: no single modality predicts them.
/// <para>Construction (L = <see cref="SyntheticOptions.Latent"/>, every draw from one
/// <see cref="RandomSource"/> seeded with <see cref="SyntheticOptions.Seed"/>; first all fixed
/// maps, modality by modality then target by target, then the samples, then the directions of
/// the targets' additive parts):</para>
/// <list type="number">
/// <item>Latents per sample: a shared z ~ N(0, I_L) and, for each modality m, private factors
/// p_m ~ N(0, I_L). Modality m sees f_m = [z; p_m] only.</item>
/// <item>Views: a fixed random map A_m (entries N(0, 1/(2L)), so unit-variance pre-activations)
/// and a modality-specific nonlinearity g_m cycling through tanh, sin and softsign
/// (a / (1 + |a|)) by modality position; x_m = g_m(A_m f_m) + noise (N(0, Noise^2) per value).
/// <br/>vector [d]: as above. image [C, H, W]: a view of C·H·W values, reshaped.
/// <br/>sequence [T, d] (T open: <see cref="SyntheticOptions.OpenLength"/>): a length l uniform
/// in [ceil(T/2), T]; step t &lt; l is g_m(A_m f_m + 0.5 sin(w t + phi) ⊙ B_m f_m) + noise, with
/// fixed per-feature frequencies w ~ U(0.2, 1), phases phi ~ U(0, 2 pi) and a second map B_m
/// (positional variation); steps at and beyond l are zeros, and l is the sample's length.
/// <br/>tokens [T] (vocab V): the same per-step construction with one feature per step,
/// a_t = (A_m f_m)_t + 0.5 sin(w_t t + phi_t) (B_m f_m)_t + noise, discretised by its normal
/// quantile into ids 1..V-1 (uniform use of the vocabulary); id 0 is the padding beyond l.</item>
/// <item>Scores: for each score, fixed random maps U, V (rows N(0, 1/L)) and, over the modality
/// pairs (m1, m2), (m2, m3), ... in declaration order (one modality: (m1, m1)), the interaction
/// I = sum_pairs sum_(k &lt; R) (U_(pair,k) · p_a)(V_(pair,k) · p_b) / sqrt(R · pairs),
/// with R = <see cref="SyntheticOptions.InteractionRank"/>; then fixed unit vectors c_m (random
/// directions), one per modality, and the additive part A = sum_m c_m · p_m (each modality's
/// term of variance 1, so each carries 1/M of A). Both are standardised over the
/// samples (mean 0, variance 1) and mixed as s = sqrt(1 - w) I + sqrt(w) A with
/// w = <see cref="SyntheticOptions.AdditiveShare"/> (default 0.15): the share of s's variance
/// that is additive over the modalities. Each factor of I is seen by one modality only and has
/// mean 0 independently of the others, so E[I | any one modality] = 0: the interaction, the
/// dominant part, needs two modalities of a pair together (a multiplicative interaction),
/// while one modality m predicts only its own additive term (correlation sqrt(w / M) with s
/// for M modalities), an additive combination of the modalities (late fusion, a linear
/// map of concatenated encodings) predicts A (correlation about sqrt(w)), and only a model of
/// the products can go beyond that. z, shared by every view, is irrelevant to every target.
/// With w = 0, E[s | any one modality] = 0 (one modality then still reveals how spread out s
/// is given it, since |U p_a| scales the products it takes part in, so it predicts "near the
/// median" a little better than chance; it says nothing about the sign or order of s).
/// The directions c_m are drawn last (after the samples), whatever w is: w changes the targets
/// only, and w = 0 gives the targets of the pure interaction construction.</item>
/// <item>Targets (one or more independent scores each): classification, the class of s's
/// quantile (C balanced classes, by rank); regression, one score per output standardised
/// to mean 0 and variance 1; multilabel, one score per label, 1 where s &gt; 0.
/// Embedding heads (retrieval) need no target: a sample's two modalities are a pair (they share z).</item>
/// <item>Shared class (only with <see cref="SyntheticOptions.SharedClassColumn"/>): the class of
/// z's first coordinate by quantile (C = <see cref="SyntheticOptions.SharedClasses"/> balanced
/// classes, by rank), an int64 column appended last. Every view sees z, no target depends on it,
/// and it draws nothing from the random source: the other columns keep their bytes.</item>
/// </list>
/// The same descriptors and options give the same bytes.
/// </summary>
public static class SyntheticData
{
    public static Dataset Generate(DataSchema schema, SyntheticOptions? options = null) =>
        Generate(schema.Modalities, schema.Targets, options);

    public static Dataset Generate(IReadOnlyList<ModalityDescriptor> modalities, IReadOnlyList<TargetDescriptor> targets, SyntheticOptions? options = null)
    {
        options ??= new SyntheticOptions();
        options.Validate();
        _ = new DataSchema(modalities, targets); // checks the descriptors and the names
        if (modalities.Count == 0) throw new ArgumentException("Synthetic data needs at least one modality.");
        var rng = new RandomSource(options.Seed);
        int n = options.Samples, latent = options.Latent;

        var views = new View[modalities.Count];
        for (int m = 0; m < modalities.Count; m++) views[m] = View.Create(modalities[m], m, options, rng);
        var scorers = new List<Scorer[]>();
        foreach (var t in targets)
        {
            int scores = t.Kind == TargetKind.Classification ? 1 : t.Width;
            var s = new Scorer[scores];
            for (int j = 0; j < scores; j++) s[j] = Scorer.Create(modalities.Count, latent, options.InteractionRank, options.AdditiveShare, rng);
            scorers.Add(s);
        }

        var z = new float[n * latent];
        rng.FillNormal(z);
        var privateFactors = new float[modalities.Count][];
        for (int m = 0; m < modalities.Count; m++)
        {
            privateFactors[m] = new float[n * latent];
            rng.FillNormal(privateFactors[m]);
        }

        var columns = new List<DataColumn>();
        for (int m = 0; m < modalities.Count; m++) columns.Add(views[m].Render(z, privateFactors[m], n, latent, options.Noise, rng));
        // drawn last, so that the additive share changes the targets only, and share 0 gives the
        // bytes of the pure interaction construction
        foreach (var s in scorers)
            foreach (var scorer in s) scorer.DrawAdditive(rng);
        for (int t = 0; t < targets.Count; t++) columns.Add(Target(targets[t], scorers[t], privateFactors, n, latent));
        if (options.SharedClassColumn is string shared)
        {
            if (modalities.Any(m => m.Name == shared) || targets.Any(t => t.Name == shared))
                throw new ArgumentException($"The shared class column '{shared}' has the name of a modality or target.");
            var first = new double[n];
            for (int i = 0; i < n; i++) first[i] = z[i * latent];
            columns.Add(DataColumn.FromLongs(shared, QuantileClasses(first, options.SharedClasses), []));
        }
        return new Dataset(columns);
    }

    /// <summary>The class of each value by rank: C balanced classes, ties broken by sample index.</summary>
    private static long[] QuantileClasses(double[] s, int classes)
    {
        int n = s.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (a, b) => s[a] != s[b] ? s[a].CompareTo(s[b]) : a.CompareTo(b));
        var labels = new long[n];
        for (int rank = 0; rank < n; rank++) labels[order[rank]] = (long)rank * classes / n;
        return labels;
    }

    private static DataColumn Target(TargetDescriptor target, Scorer[] scorers, float[][] privateFactors, int n, int latent)
    {
        var scores = new double[scorers.Length][];
        for (int j = 0; j < scorers.Length; j++) scores[j] = scorers[j].Score(privateFactors, n, latent);
        switch (target.Kind)
        {
            case TargetKind.Classification:
                return DataColumn.FromLongs(target.Name, QuantileClasses(scores[0], target.Width), []);
            case TargetKind.Regression:
            {
                int w = target.Width;
                var values = new float[n * w];
                for (int j = 0; j < w; j++)
                {
                    var s = scores[j];
                    double mean = s.Average();
                    double std = Math.Sqrt(s.Select(v => (v - mean) * (v - mean)).Average());
                    if (std == 0) std = 1;
                    for (int i = 0; i < n; i++) values[i * w + j] = (float)((s[i] - mean) / std);
                }
                return DataColumn.FromFloats(target.Name, values, [w]);
            }
            default:
            {
                int w = target.Width;
                var values = new float[n * w];
                for (int j = 0; j < w; j++)
                    for (int i = 0; i < n; i++) values[i * w + j] = scores[j][i] > 0 ? 1f : 0f;
                return DataColumn.FromFloats(target.Name, values, [w]);
            }
        }
    }

    /// <summary>One score s = sqrt(1 - w) I + sqrt(w) A: I the standardised sum over modality pairs of R products of private-factor projections, A the standardised sum over modalities of one projection each.</summary>
    private sealed class Scorer
    {
        private readonly (int A, int B, float[] U, float[] V)[] pairs;
        private readonly float[][] additive;
        private readonly int latent;
        private readonly int rank;
        private readonly double share;

        private Scorer((int, int, float[], float[])[] pairs, int modalities, int latent, int rank, double share)
        {
            this.pairs = pairs;
            additive = new float[modalities][];
            this.latent = latent;
            this.rank = rank;
            this.share = share;
        }

        public static Scorer Create(int modalities, int latent, int rank, double share, RandomSource rng)
        {
            int count = Math.Max(modalities - 1, 1);
            var pairs = new (int, int, float[], float[])[count];
            float std = 1f / MathF.Sqrt(latent);
            for (int p = 0; p < count; p++)
            {
                var u = new float[rank * latent];
                var v = new float[rank * latent];
                rng.FillNormal(u, 0f, std);
                rng.FillNormal(v, 0f, std);
                pairs[p] = modalities == 1 ? (0, 0, u, v) : (p, p + 1, u, v);
            }
            return new Scorer(pairs, modalities, latent, rank, share);
        }

        /// <summary>Draws the additive part's c_m: random directions of unit length, so every modality's term has variance 1.</summary>
        public void DrawAdditive(RandomSource rng)
        {
            for (int m = 0; m < additive.Length; m++)
            {
                additive[m] = new float[latent];
                rng.FillNormal(additive[m]);
                float norm = MathF.Sqrt(additive[m].Sum(c => c * c));
                for (int k = 0; k < latent; k++) additive[m][k] /= norm;
            }
        }

        public double[] Score(float[][] privateFactors, int n, int latent)
        {
            var interaction = new double[n];
            double scale = 1.0 / Math.Sqrt(rank * pairs.Length);
            foreach (var (a, b, u, v) in pairs)
                for (int i = 0; i < n; i++)
                {
                    var pa = privateFactors[a].AsSpan(i * latent, latent);
                    var pb = privateFactors[b].AsSpan(i * latent, latent);
                    double sum = 0;
                    for (int k = 0; k < rank; k++)
                        sum += Dot(u.AsSpan(k * latent, latent), pa) * Dot(v.AsSpan(k * latent, latent), pb);
                    interaction[i] += sum * scale;
                }
            if (share == 0) return interaction;
            var additiveSum = new double[n];
            for (int m = 0; m < additive.Length; m++)
                for (int i = 0; i < n; i++) additiveSum[i] += Dot(additive[m], privateFactors[m].AsSpan(i * latent, latent));
            Standardise(interaction);
            Standardise(additiveSum);
            double wi = Math.Sqrt(1 - share), wa = Math.Sqrt(share);
            var s = new double[n];
            for (int i = 0; i < n; i++) s[i] = wi * interaction[i] + wa * additiveSum[i];
            return s;
        }

        private static void Standardise(double[] values)
        {
            double mean = values.Average();
            double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
            if (std == 0) std = 1;
            for (int i = 0; i < values.Length; i++) values[i] = (values[i] - mean) / std;
        }
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }

    /// <summary>A modality's fixed maps and how it renders a sample from its factors [z; p].</summary>
    private sealed class View
    {
        private readonly ModalityDescriptor modality;
        private readonly int position;
        private readonly int steps;      // 0 for vectors and images
        private readonly int features;   // values per step (or in total without steps)
        private readonly float[] a;      // [steps * features or features, 2L]
        private readonly float[]? b;     // positional map, same shape
        private readonly float[]? frequency;
        private readonly float[]? phase;

        private View(ModalityDescriptor modality, int position, int steps, int features, float[] a, float[]? b, float[]? frequency, float[]? phase)
        {
            this.modality = modality;
            this.position = position;
            this.steps = steps;
            this.features = features;
            this.a = a;
            this.b = b;
            this.frequency = frequency;
            this.phase = phase;
        }

        public static View Create(ModalityDescriptor m, int position, SyntheticOptions options, RandomSource rng)
        {
            int factors = 2 * options.Latent;
            float std = 1f / MathF.Sqrt(factors);
            if (!m.HasLengths)
            {
                int d = ShapeText.Numel(m.Shape);
                var map = new float[d * factors];
                rng.FillNormal(map, 0f, std);
                return new View(m, position, 0, d, map, null, null, null);
            }
            int steps = m.IsOpenLength ? options.OpenLength : m.Shape[0];
            // tokens: one feature per step, each step its own row of the map
            int features = m.Kind == ModalityKind.Tokens ? 1 : m.Shape[1];
            int rows = m.Kind == ModalityKind.Tokens ? steps : features;
            var a = new float[rows * factors];
            var b = new float[rows * factors];
            rng.FillNormal(a, 0f, std);
            rng.FillNormal(b, 0f, std);
            var frequency = new float[rows];
            var phase = new float[rows];
            rng.FillUniform(frequency, 0.2f, 1f);
            rng.FillUniform(phase, 0f, 2f * MathF.PI);
            return new View(m, position, steps, features, a, b, frequency, phase);
        }

        private float Nonlinearity(float x) => (position % 3) switch
        {
            0 => MathF.Tanh(x),
            1 => MathF.Sin(x),
            _ => x / (1f + MathF.Abs(x)),
        };

        public DataColumn Render(float[] z, float[] p, int n, int latent, double noise, RandomSource rng)
        {
            int factors = 2 * latent;
            var f = new float[factors];
            float sigma = (float)noise;
            if (steps == 0)
            {
                var values = new float[n * features];
                for (int i = 0; i < n; i++)
                {
                    Factors(z, p, i, latent, f);
                    for (int j = 0; j < features; j++)
                        values[i * features + j] = Nonlinearity((float)Dot(a.AsSpan(j * factors, factors), f)) + sigma * rng.Normal();
                }
                return DataColumn.FromFloats(modality.Name, values, (int[])modality.Shape.Clone());
            }

            var lengths = new int[n];
            int shortest = (steps + 1) / 2;
            if (modality.Kind == ModalityKind.Tokens)
            {
                int vocab = modality.Vocab!.Value;
                var ids = new long[n * steps];
                for (int i = 0; i < n; i++)
                {
                    Factors(z, p, i, latent, f);
                    int length = shortest + rng.NextInt(steps - shortest + 1);
                    lengths[i] = length;
                    for (int t = 0; t < length; t++)
                    {
                        double x = Dot(a.AsSpan(t * factors, factors), f)
                            + 0.5 * Math.Sin(frequency![t] * t + phase![t]) * Dot(b!.AsSpan(t * factors, factors), f)
                            + sigma * rng.Normal();
                        // x has variance about 1.125 + noise^2; its normal quantile picks one of the ids 1..V-1
                        double q = 0.5 * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2 * (1.125 + noise * noise))));
                        ids[i * steps + t] = 1 + Math.Clamp((long)(q * (vocab - 1)), 0, vocab - 2);
                    }
                }
                return DataColumn.FromLongs(modality.Name, ids, [steps], lengths);
            }

            var sequence = new float[n * steps * features];
            var baseView = new double[features];
            var positional = new double[features];
            for (int i = 0; i < n; i++)
            {
                Factors(z, p, i, latent, f);
                int length = shortest + rng.NextInt(steps - shortest + 1);
                lengths[i] = length;
                for (int j = 0; j < features; j++)
                {
                    baseView[j] = Dot(a.AsSpan(j * factors, factors), f);
                    positional[j] = Dot(b!.AsSpan(j * factors, factors), f);
                }
                for (int t = 0; t < length; t++)
                    for (int j = 0; j < features; j++)
                    {
                        double pre = baseView[j] + 0.5 * Math.Sin(frequency![j] * t + phase![j]) * positional[j];
                        sequence[(i * steps + t) * features + j] = Nonlinearity((float)pre) + sigma * rng.Normal();
                    }
            }
            return DataColumn.FromFloats(modality.Name, sequence, [steps, features], lengths);
        }

        private static void Factors(float[] z, float[] p, int i, int latent, float[] f)
        {
            z.AsSpan(i * latent, latent).CopyTo(f);
            p.AsSpan(i * latent, latent).CopyTo(f.AsSpan(latent));
        }
    }
}
