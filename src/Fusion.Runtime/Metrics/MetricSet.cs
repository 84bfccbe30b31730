namespace Fusion.Runtime.Metrics;

/// <summary>
/// The metrics of one head over a whole evaluation pass: <see cref="Add(Tensor, LongTensor)"/> or
/// <see cref="Add(Tensor, Tensor)"/> each batch's outputs, then <see cref="Compute"/> name -> value
/// over everything added (F1, Pearson and recall are not averages of per-batch values, so the
/// set keeps the outputs). Chosen by <see cref="For"/> from the head kind:
/// <list type="bullet">
/// <item>classifier (logits <c>[B, C]</c>, int64 targets <c>[B]</c>): <c>accuracy</c>, <c>macro_f1</c>;</item>
/// <item>regressor (<c>[B, K]</c> against <c>[B, K]</c>): <c>mae</c> over all values, <c>pearson</c>
/// (the mean over the K outputs of each output's correlation);</item>
/// <item>multilabel (logits <c>[B, L]</c>, 0/1 targets): <c>accuracy</c> and <c>f1</c> (means over labels),
/// <c>accuracy_i</c> and <c>f1_i</c> per label;</item>
/// <item>embedding (two embeddings <c>[B, D]</c> of the same samples): <c>recall@1</c>, <c>recall@5</c>,
/// <c>recall@10</c> of retrieving the second from the first by cosine similarity.</item>
/// </list>
/// </summary>
public abstract class MetricSet
{
    private protected MetricSet(HeadKind kind) => Kind = kind;

    public HeadKind Kind { get; }

    /// <summary>Samples added since the last reset.</summary>
    public int Count { get; private protected set; }

    public static MetricSet For(HeadKind kind) => kind switch
    {
        HeadKind.Classifier => new Classification(),
        HeadKind.Regressor => new Regression(),
        HeadKind.Multilabel => new Multilabel(),
        HeadKind.Embedding => new Retrieval(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Adds a batch of class logits and their int64 targets (classifier heads).</summary>
    public virtual void Add(Tensor outputs, LongTensor targets) =>
        throw new InvalidOperationException($"A {Kind} head's metrics take float targets, not class indices.");

    /// <summary>Adds a batch of outputs and float targets (regressor, multilabel), or two embeddings of the same samples (embedding heads).</summary>
    public virtual void Add(Tensor outputs, Tensor targets) =>
        throw new InvalidOperationException($"A {Kind} head's metrics take int64 class indices as targets.");

    /// <summary>The metrics over everything added.</summary>
    public abstract IReadOnlyDictionary<string, double> Compute();

    public abstract void Reset();

    private protected static float[] Rows(Tensor t, int width, string what)
    {
        if (t.Rank != 2 || t.Size(1) != width)
            throw new ArgumentException($"Expected {what} [B, {width}]; shape is [{string.Join(", ", t.Shape.ToArray())}].");
        return t.Contiguous().ToArray();
    }

    private protected void EnsureAny()
    {
        if (Count == 0) throw new InvalidOperationException("No samples were added.");
    }

    private sealed class Classification() : MetricSet(HeadKind.Classifier)
    {
        private readonly List<long> predicted = [];
        private readonly List<long> truth = [];
        private int classes;

        public override void Add(Tensor outputs, LongTensor targets)
        {
            if (outputs.Rank != 2) throw new ArgumentException($"Expected logits [B, C]; shape is [{string.Join(", ", outputs.Shape.ToArray())}].");
            if (classes != 0 && outputs.Size(1) != classes) throw new ArgumentException($"Logits have {outputs.Size(1)} classes; earlier batches had {classes}.");
            if (targets.Rank != 1 || targets.Size(0) != outputs.Size(0))
                throw new ArgumentException($"Expected targets [{outputs.Size(0)}]; shape is [{string.Join(", ", targets.Shape.ToArray())}].");
            classes = outputs.Size(1);
            predicted.AddRange(ClassificationMetrics.Predict(outputs));
            foreach (long t in targets.AsSpan()) truth.Add(t);
            Count += outputs.Size(0);
        }

        public override IReadOnlyDictionary<string, double> Compute()
        {
            EnsureAny();
            var p = predicted.ToArray();
            var t = truth.ToArray();
            return new Dictionary<string, double>
            {
                ["accuracy"] = ClassificationMetrics.Accuracy(p, t),
                ["macro_f1"] = ClassificationMetrics.MacroF1(p, t, classes),
            };
        }

        public override void Reset() { predicted.Clear(); truth.Clear(); classes = 0; Count = 0; }
    }

    private sealed class Regression() : MetricSet(HeadKind.Regressor)
    {
        private readonly List<float> predicted = [];
        private readonly List<float> truth = [];
        private int width;

        public override void Add(Tensor outputs, Tensor targets)
        {
            int w = outputs.Rank == 2 ? outputs.Size(1) : -1;
            if (w <= 0 || (width != 0 && w != width)) throw new ArgumentException($"Expected outputs [B, {(width == 0 ? "K" : width.ToString())}]; shape is [{string.Join(", ", outputs.Shape.ToArray())}].");
            var t = Rows(targets, w, "targets");
            if (targets.Size(0) != outputs.Size(0)) throw new ArgumentException($"{outputs.Size(0)} outputs for {targets.Size(0)} targets.");
            width = w;
            predicted.AddRange(outputs.Contiguous().ToArray());
            truth.AddRange(t);
            Count += outputs.Size(0);
        }

        public override IReadOnlyDictionary<string, double> Compute()
        {
            EnsureAny();
            var p = predicted.ToArray();
            var t = truth.ToArray();
            double pearson = 0;
            var pc = new float[Count];
            var tc = new float[Count];
            for (int k = 0; k < width; k++)
            {
                for (int i = 0; i < Count; i++) { pc[i] = p[i * width + k]; tc[i] = t[i * width + k]; }
                pearson += RegressionMetrics.Pearson(pc, tc);
            }
            return new Dictionary<string, double>
            {
                ["mae"] = RegressionMetrics.MeanAbsoluteError(p, t),
                ["pearson"] = pearson / width,
            };
        }

        public override void Reset() { predicted.Clear(); truth.Clear(); width = 0; Count = 0; }
    }

    private sealed class Multilabel() : MetricSet(HeadKind.Multilabel)
    {
        private readonly List<float> logits = [];
        private readonly List<float> truth = [];
        private int labels;

        public override void Add(Tensor outputs, Tensor targets)
        {
            int w = outputs.Rank == 2 ? outputs.Size(1) : -1;
            if (w <= 0 || (labels != 0 && w != labels)) throw new ArgumentException($"Expected logits [B, {(labels == 0 ? "L" : labels.ToString())}]; shape is [{string.Join(", ", outputs.Shape.ToArray())}].");
            var t = Rows(targets, w, "targets");
            if (targets.Size(0) != outputs.Size(0)) throw new ArgumentException($"{outputs.Size(0)} outputs for {targets.Size(0)} targets.");
            labels = w;
            logits.AddRange(outputs.Contiguous().ToArray());
            truth.AddRange(t);
            Count += outputs.Size(0);
        }

        public override IReadOnlyDictionary<string, double> Compute()
        {
            EnsureAny();
            var l = logits.ToArray();
            var t = truth.ToArray();
            var accuracy = MultilabelMetrics.PerLabelAccuracy(l, t, labels);
            var f1 = MultilabelMetrics.PerLabelF1(l, t, labels);
            var result = new Dictionary<string, double> { ["accuracy"] = accuracy.Average(), ["f1"] = f1.Average() };
            for (int i = 0; i < labels; i++)
            {
                result[$"accuracy_{i}"] = accuracy[i];
                result[$"f1_{i}"] = f1[i];
            }
            return result;
        }

        public override void Reset() { logits.Clear(); truth.Clear(); labels = 0; Count = 0; }
    }

    private sealed class Retrieval() : MetricSet(HeadKind.Embedding)
    {
        private static readonly int[] Ks = [1, 5, 10];
        private readonly List<float> first = [];
        private readonly List<float> second = [];
        private int dim;

        public override void Add(Tensor outputs, Tensor targets)
        {
            int d = outputs.Rank == 2 ? outputs.Size(1) : -1;
            if (d <= 0 || (dim != 0 && d != dim)) throw new ArgumentException($"Expected embeddings [B, {(dim == 0 ? "D" : dim.ToString())}]; shape is [{string.Join(", ", outputs.Shape.ToArray())}].");
            var b = Rows(targets, d, "the paired embeddings");
            if (targets.Size(0) != outputs.Size(0)) throw new ArgumentException($"{outputs.Size(0)} embeddings paired with {targets.Size(0)}.");
            dim = d;
            first.AddRange(outputs.Contiguous().ToArray());
            second.AddRange(b);
            Count += outputs.Size(0);
        }

        public override IReadOnlyDictionary<string, double> Compute()
        {
            EnsureAny();
            using var scope = Tensor.NewScope();
            var a = Tensor.FromArray(first.ToArray(), Count, dim);
            var b = Tensor.FromArray(second.ToArray(), Count, dim);
            var recall = RetrievalMetrics.RecallAtK(a, b, Ks);
            var result = new Dictionary<string, double>();
            for (int i = 0; i < Ks.Length; i++) result[$"recall@{Ks[i]}"] = recall[i];
            return result;
        }

        public override void Reset() { first.Clear(); second.Clear(); dim = 0; Count = 0; }
    }
}
