namespace Fusion.Runtime.Data;

/// <summary>
/// The modalities and targets a model reads, and the rules that turn raw named arrays (from an
/// .npz, a folder of .npy files, a CSV) into a checked <see cref="Dataset"/>:
/// <list type="bullet">
/// <item>Every declared target and every non-optional modality must be present; an optional
/// modality that is absent becomes zeros of its declared shape (an open length becomes 1 step,
/// with length 1). Arrays nobody declares are ignored.</item>
/// <item>An array is <c>[samples, ...per-sample shape]</c> and every axis must equal the declared
/// one, except the step axis of a sequence or tokens modality: an open (-1) step axis takes any
/// length, a fixed one any length up to the declared one (shorter arrays are padded with zeros to
/// it). Per-sample lengths come from <c>&lt;modality&gt;_lengths</c> (int, <c>[samples]</c>, each in
/// <c>[0, steps]</c>); without it every step of the array counts.</item>
/// <item>Float modalities and regression/multilabel targets accept float or integer arrays
/// (converted to float32); tokens and class labels must be integers, token ids in
/// <c>[0, vocab)</c>, classes in <c>[0, classes)</c>, multilabel values 0 or 1. A regression
/// target with one output may also be given as <c>[samples]</c>, a class label as <c>[samples, 1]</c>.</item>
/// </list>
/// Every violation is a <see cref="DataException"/> naming the source, the modality or target,
/// and the expected versus actual shape, dtype or value.
/// </summary>
public sealed class DataSchema
{
    public DataSchema(IReadOnlyList<ModalityDescriptor> modalities, IReadOnlyList<TargetDescriptor> targets)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in modalities)
        {
            m.Validate();
            if (!names.Add(m.Name)) throw new ArgumentException($"The name '{m.Name}' is declared twice.");
        }
        foreach (var t in targets)
        {
            t.Validate();
            if (!names.Add(t.Name)) throw new ArgumentException($"The name '{t.Name}' is declared twice.");
        }
        Modalities = modalities;
        Targets = targets;
    }

    public IReadOnlyList<ModalityDescriptor> Modalities { get; }
    public IReadOnlyList<TargetDescriptor> Targets { get; }

    /// <summary>The name of the array holding a modality's per-sample lengths.</summary>
    public static string LengthsName(string modality) => modality + "_lengths";

    /// <summary>Checks <paramref name="arrays"/> against the declarations and builds the dataset.</summary>
    public Dataset Bind(IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        var columns = new List<DataColumn>();
        var absent = new List<ModalityDescriptor>();
        string? countOwner = null;
        int count = -1;

        void CheckCount(string what, int n)
        {
            if (count < 0) { count = n; countOwner = what; }
            else if (n != count) throw new DataException(source, $"{what} has {n} samples but {countOwner} has {count}.");
        }

        foreach (var m in Modalities)
        {
            if (!arrays.TryGetValue(m.Name, out var array))
            {
                if (m.Optional) { absent.Add(m); continue; }
                throw new DataException(source, $"modality '{m.Name}' is missing (found: {Found(arrays)}).");
            }
            var column = BindModality(m, array, arrays.GetValueOrDefault(LengthsName(m.Name)), source);
            CheckCount($"modality '{m.Name}'", column.Count);
            columns.Add(column);
        }
        foreach (var m in Modalities)
            if (!m.HasLengths && arrays.ContainsKey(LengthsName(m.Name)) && !IsDeclared(LengthsName(m.Name)))
                throw new DataException(source, $"'{LengthsName(m.Name)}' gives lengths but modality '{m.Name}' is a {m.Kind.ToString().ToLowerInvariant()}, which has none.");
        foreach (var t in Targets)
        {
            if (!arrays.TryGetValue(t.Name, out var array))
                throw new DataException(source, $"target '{t.Name}' is missing (found: {Found(arrays)}).");
            var column = BindTarget(t, array, source);
            CheckCount($"target '{t.Name}'", column.Count);
            columns.Add(column);
        }
        if (count < 0) throw new DataException(source, "none of the declared modalities or targets is present.");
        foreach (var m in absent) columns.Add(Zeros(m, count));
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in Modalities) order[m.Name] = order.Count;
        foreach (var t in Targets) order[t.Name] = order.Count;
        columns.Sort((a, b) => order[a.Name].CompareTo(order[b.Name]));
        return new Dataset(columns);
    }

    /// <summary>Checks that <paramref name="data"/> has every declared column with the declared per-sample shape and type.</summary>
    public void Validate(Dataset data, string source)
    {
        foreach (var m in Modalities)
        {
            if (!data.TryGetColumn(m.Name, out var c))
            {
                if (m.Optional) continue;
                throw new DataException(source, $"modality '{m.Name}' is missing (found: {string.Join(", ", data.Columns.Select(x => x.Name))}).");
            }
            if (c.Type != m.DataType) throw new DataException(source, $"modality '{m.Name}' has dtype {Name(c.Type)} but the spec declares {Name(m.DataType)}.");
            if (!ShapeMatches(m.Shape, c.SampleShape, exactSteps: true))
                throw new DataException(source, $"modality '{m.Name}' has shape {ShapeText.Format(c.SampleShape)} per sample but the spec declares {ShapeText.Format(m.Shape)}.");
        }
        foreach (var t in Targets)
        {
            if (!data.TryGetColumn(t.Name, out var c))
                throw new DataException(source, $"target '{t.Name}' is missing (found: {string.Join(", ", data.Columns.Select(x => x.Name))}).");
            if (c.Type != t.DataType) throw new DataException(source, $"target '{t.Name}' has dtype {Name(c.Type)} but a {t.Kind.ToString().ToLowerInvariant()} target needs {Name(t.DataType)}.");
            if (!c.SampleShape.AsSpan().SequenceEqual(t.SampleShape))
                throw new DataException(source, $"target '{t.Name}' has shape {ShapeText.Format(c.SampleShape)} per sample but the spec declares {ShapeText.Format(t.SampleShape)}.");
        }
    }

    private static bool ShapeMatches(int[] declared, ReadOnlySpan<int> actual, bool exactSteps)
    {
        if (declared.Length != actual.Length) return false;
        for (int i = 0; i < declared.Length; i++)
        {
            if (declared[i] == -1) { if (actual[i] < 1) return false; continue; }
            if (declared[i] != actual[i] && !(i == 0 && !exactSteps && actual[i] <= declared[i] && actual[i] >= 1)) return false;
        }
        return true;
    }

    private static DataColumn BindModality(ModalityDescriptor m, NpyArray array, NpyArray? lengthsArray, string source)
    {
        var shape = array.Shape;
        var declared = m.Shape;
        bool stepAxisFlexible = m.HasLengths;
        if (shape.Length != declared.Length + 1 || !ShapeMatches(declared, shape.AsSpan(1), exactSteps: !stepAxisFlexible))
            throw new DataException(source, $"modality '{m.Name}' has shape {ShapeText.Format(shape)} but the spec declares {ShapeText.Format(declared)} per sample{StepNote(m)}.");
        int count = shape[0];
        var sampleShape = shape[1..];
        int steps = sampleShape.Length > 0 ? sampleShape[0] : 0;
        int[]? lengths = null;
        if (lengthsArray is not null)
            lengths = BindLengths(m, lengthsArray, count, steps, source);

        if (m.HasLengths && declared[0] != -1 && steps < declared[0])
        {
            // a fixed step axis given shorter: pad with zeros up to the declared length
            var padded = (int[])sampleShape.Clone();
            padded[0] = declared[0];
            lengths ??= Enumerable.Repeat(steps, count).ToArray();
            return m.Kind == ModalityKind.Tokens
                ? DataColumn.FromLongs(m.Name, PadSteps(Tokens(m, array, source), count, sampleShape, declared[0]), padded, lengths)
                : DataColumn.FromFloats(m.Name, PadSteps(FloatValues(array), count, sampleShape, declared[0]), padded, lengths);
        }
        return m.Kind == ModalityKind.Tokens
            ? DataColumn.FromLongs(m.Name, Tokens(m, array, source), sampleShape, lengths)
            : DataColumn.FromFloats(m.Name, FloatValues(array), sampleShape, lengths);
    }

    private static string StepNote(ModalityDescriptor m) =>
        !m.HasLengths ? "" : m.IsOpenLength ? " (the step axis is open: any length)" : $" (at most {m.Shape[0]} steps)";

    private static long[] Tokens(ModalityDescriptor m, NpyArray array, string source)
    {
        if (array.Longs is not long[] ids)
            throw new DataException(source, $"modality '{m.Name}' has dtype {array.DtypeName} but a tokens modality needs integer token ids (int64 or int32).");
        int row = ShapeText.Numel(array.Shape.AsSpan(1));
        for (int i = 0; i < ids.Length; i++)
            if (ids[i] < 0 || ids[i] >= m.Vocab)
                throw new DataException(source, $"modality '{m.Name}' has token id {ids[i]} in sample {i / Math.Max(row, 1)}, outside the vocabulary [0, {m.Vocab}).");
        return ids;
    }

    private static int[] BindLengths(ModalityDescriptor m, NpyArray array, int count, int steps, string source)
    {
        string name = LengthsName(m.Name);
        if (array.Longs is not long[] values)
            throw new DataException(source, $"'{name}' (the lengths of modality '{m.Name}') has dtype {array.DtypeName} but lengths must be integers (int64 or int32).");
        if (array.Shape.Length != 1 || array.Shape[0] != count)
            throw new DataException(source, $"'{name}' (the lengths of modality '{m.Name}') has shape {ShapeText.Format(array.Shape)} but the modality has {count} samples, so [{count}] is expected.");
        var lengths = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (values[i] < 0 || values[i] > steps)
                throw new DataException(source, $"'{name}' gives sample {i} length {values[i]}, outside [0, {steps}] (the steps of modality '{m.Name}').");
            lengths[i] = (int)values[i];
        }
        return lengths;
    }

    private static T[] PadSteps<T>(T[] values, int count, int[] sampleShape, int steps)
    {
        int oldRow = ShapeText.Numel(sampleShape);
        int newRow = oldRow / Math.Max(sampleShape[0], 1) * steps;
        var padded = new T[count * newRow];
        for (int i = 0; i < count; i++) values.AsSpan(i * oldRow, oldRow).CopyTo(padded.AsSpan(i * newRow));
        return padded;
    }

    private static DataColumn BindTarget(TargetDescriptor t, NpyArray array, string source)
    {
        var shape = array.Shape;
        if (t.Kind == TargetKind.Classification)
        {
            bool ok = shape.Length == 1 || (shape.Length == 2 && shape[1] == 1);
            if (!ok) throw new DataException(source, $"target '{t.Name}' has shape {ShapeText.Format(shape)} but a classification target is one class index per sample ([] per sample, an array [samples]).");
            if (array.Longs is not long[] labels)
                throw new DataException(source, $"target '{t.Name}' has dtype {array.DtypeName} but class labels must be integers (int64 or int32).");
            for (int i = 0; i < labels.Length; i++)
                if (labels[i] < 0 || labels[i] >= t.Width)
                    throw new DataException(source, $"target '{t.Name}' has class {labels[i]} in sample {i}, outside [0, {t.Width}).");
            return DataColumn.FromLongs(t.Name, labels, []);
        }
        bool shapeOk = (shape.Length == 2 && shape[1] == t.Width) || (shape.Length == 1 && t.Width == 1);
        if (!shapeOk)
            throw new DataException(source, $"target '{t.Name}' has shape {ShapeText.Format(shape)} but the spec declares [{t.Width}] per sample.");
        var values = FloatValues(array);
        if (t.Kind == TargetKind.Multilabel)
            for (int i = 0; i < values.Length; i++)
                if (values[i] != 0f && values[i] != 1f)
                    throw new DataException(source, $"target '{t.Name}' has value {values[i]} in sample {i / t.Width}, label {i % t.Width}; multilabel targets are 0 or 1.");
        return DataColumn.FromFloats(t.Name, values, [t.Width]);
    }

    private static float[] FloatValues(NpyArray array)
    {
        if (array.Floats is float[] f) return f;
        var longs = array.Longs!;
        var values = new float[longs.Length];
        for (int i = 0; i < longs.Length; i++) values[i] = longs[i];
        return values;
    }

    private static DataColumn Zeros(ModalityDescriptor m, int count)
    {
        var shape = (int[])m.Shape.Clone();
        if (m.IsOpenLength) shape[0] = 1;
        int[]? lengths = m.HasLengths ? Enumerable.Repeat(shape[0], count).ToArray() : null;
        int n = count * ShapeText.Numel(shape);
        return m.Kind == ModalityKind.Tokens
            ? DataColumn.FromLongs(m.Name, new long[n], shape, lengths)
            : DataColumn.FromFloats(m.Name, new float[n], shape, lengths);
    }

    private bool IsDeclared(string name) => Modalities.Any(m => m.Name == name) || Targets.Any(t => t.Name == name);

    private static string Name(DataType t) => t == DataType.Float32 ? "float32" : "int64";

    private static string Found(IReadOnlyDictionary<string, NpyArray> arrays) =>
        arrays.Count == 0 ? "nothing" : string.Join(", ", arrays.Keys.Order(StringComparer.Ordinal));
}
