using Fusion.Runtime.Data;

namespace Fusion.Runtime.Tests;

/// <summary>Binding named arrays to declared modalities and targets: what is accepted and every refusal's message.</summary>
public sealed class DataSchemaTests
{
    private const string Source = "data/x.npz";

    private static DataSchema Schema(params ModalityDescriptor[] modalities) =>
        new(modalities, [new TargetDescriptor("label", TargetKind.Classification, 3)]);

    private static NpyArray Floats(params int[] shape) => new(shape, new float[shape.Aggregate(1, (a, b) => a * b)]);

    private static NpyArray Longs(long[] values, params int[] shape) => new(shape, values);

    private static NpyArray Labels(int n) => Longs(Enumerable.Range(0, n).Select(i => (long)(i % 3)).ToArray(), n);

    private static string Error(DataSchema schema, Dictionary<string, NpyArray> arrays) =>
        Assert.Throws<DataException>(() => schema.Bind(arrays, Source)).Message;

    [Fact]
    public void BindsDeclaredArraysInDeclarationOrderAndIgnoresOthers()
    {
        var schema = Schema(new ModalityDescriptor("audio", [74], ModalityKind.Vector), new ModalityDescriptor("text", [5, 3], ModalityKind.Sequence));
        var data = schema.Bind(new Dictionary<string, NpyArray>()
        {
            ["label"] = Labels(4),
            ["text"] = Floats(4, 5, 3),
            ["audio"] = Floats(4, 74),
            ["extra"] = Floats(2),
        }, Source);
        Assert.Equal(["audio", "text", "label"], data.Columns.Select(c => c.Name));
        Assert.Equal(4, data.Count);
        Assert.Equal([5, 3], data["text"].SampleShape);
        Assert.Null(data["text"].Lengths);
        Assert.Empty(data["label"].SampleShape);
        schema.Validate(data, Source);
    }

    [Fact]
    public void TheExampleMessage()
    {
        var schema = Schema(new ModalityDescriptor("audio", [74], ModalityKind.Vector));
        Assert.Equal("data/x.npz: modality 'audio' has shape [100, 70] but the spec declares [74] per sample.",
            Error(schema, new() { ["audio"] = Floats(100, 70), ["label"] = Labels(100) }));
    }

    [Fact]
    public void MissingModalitiesAndTargetsAreNamed()
    {
        var schema = Schema(new ModalityDescriptor("audio", [4], ModalityKind.Vector));
        Assert.Equal("data/x.npz: modality 'audio' is missing (found: label, video).",
            Error(schema, new() { ["video"] = Floats(3, 4), ["label"] = Labels(3) }));
        Assert.Equal("data/x.npz: target 'label' is missing (found: audio).",
            Error(schema, new() { ["audio"] = Floats(3, 4) }));
    }

    [Fact]
    public void AnAbsentOptionalModalityBecomesZeros()
    {
        var schema = Schema(new ModalityDescriptor("audio", [4], ModalityKind.Vector), new ModalityDescriptor("video", [-1, 2], ModalityKind.Sequence, Optional: true));
        var data = schema.Bind(new Dictionary<string, NpyArray> { ["audio"] = Floats(3, 4), ["label"] = Labels(3) }, Source);
        var video = data["video"];
        Assert.Equal([1, 2], video.SampleShape);
        Assert.Equal(3, video.Count);
        Assert.All(video.Floats!, v => Assert.Equal(0f, v));
        Assert.Equal([1, 1, 1], video.Lengths!);
    }

    [Fact]
    public void SampleCountsMustAgree()
    {
        var schema = Schema(new ModalityDescriptor("audio", [4], ModalityKind.Vector));
        Assert.Equal("data/x.npz: target 'label' has 5 samples but modality 'audio' has 3.",
            Error(schema, new() { ["audio"] = Floats(3, 4), ["label"] = Labels(5) }));
    }

    [Fact]
    public void OpenAndFixedStepAxes()
    {
        var open = Schema(new ModalityDescriptor("text", [-1, 3], ModalityKind.Sequence));
        var data = open.Bind(new Dictionary<string, NpyArray> { ["text"] = Floats(2, 9, 3), ["label"] = Labels(2) }, Source);
        Assert.Equal([9, 3], data["text"].SampleShape);

        // a fixed axis of 5 accepts 4 steps, padded to 5; lengths default to the given 4
        var fixedLength = Schema(new ModalityDescriptor("text", [5, 3], ModalityKind.Sequence));
        var values = Enumerable.Range(1, 2 * 4 * 3).Select(i => (float)i).ToArray();
        var padded = fixedLength.Bind(new Dictionary<string, NpyArray> { ["text"] = new NpyArray([2, 4, 3], values), ["label"] = Labels(2) }, Source);
        Assert.Equal([5, 3], padded["text"].SampleShape);
        Assert.Equal([4, 4], padded["text"].Lengths!);
        Assert.Equal(values[..12], padded["text"].Floats![..12]);
        Assert.Equal(new float[3], padded["text"].Floats![12..15]);
        Assert.Equal(values[12..24], padded["text"].Floats![15..27]);

        Assert.Equal("data/x.npz: modality 'text' has shape [2, 6, 3] but the spec declares [5, 3] per sample (at most 5 steps).",
            Error(fixedLength, new() { ["text"] = Floats(2, 6, 3), ["label"] = Labels(2) }));
        Assert.Equal("data/x.npz: modality 'text' has shape [2, 9, 4] but the spec declares [N, 3] per sample (the step axis is open: any length).",
            Error(open, new() { ["text"] = Floats(2, 9, 4), ["label"] = Labels(2) }));
    }

    [Fact]
    public void LengthsAreCheckedAndKept()
    {
        var schema = Schema(new ModalityDescriptor("text", [-1, 3], ModalityKind.Sequence));
        var data = schema.Bind(new Dictionary<string, NpyArray> { ["text"] = Floats(2, 4, 3), ["text_lengths"] = Longs([4, 2], 2), ["label"] = Labels(2) }, Source);
        Assert.Equal([4, 2], data["text"].Lengths!);

        Assert.Equal("data/x.npz: 'text_lengths' gives sample 1 length 5, outside [0, 4] (the steps of modality 'text').",
            Error(schema, new() { ["text"] = Floats(2, 4, 3), ["text_lengths"] = Longs([4, 5], 2), ["label"] = Labels(2) }));
        Assert.Equal("data/x.npz: 'text_lengths' (the lengths of modality 'text') has shape [3] but the modality has 2 samples, so [2] is expected.",
            Error(schema, new() { ["text"] = Floats(2, 4, 3), ["text_lengths"] = Longs([4, 2, 1], 3), ["label"] = Labels(2) }));
        Assert.Equal("data/x.npz: 'text_lengths' (the lengths of modality 'text') has dtype float32 but lengths must be integers (int64 or int32).",
            Error(schema, new() { ["text"] = Floats(2, 4, 3), ["text_lengths"] = Floats(2), ["label"] = Labels(2) }));

        var vector = Schema(new ModalityDescriptor("audio", [4], ModalityKind.Vector));
        Assert.Equal("data/x.npz: 'audio_lengths' gives lengths but modality 'audio' is a vector, which has none.",
            Error(vector, new() { ["audio"] = Floats(2, 4), ["audio_lengths"] = Longs([1, 1], 2), ["label"] = Labels(2) }));
    }

    [Fact]
    public void TokensMustBeIntegerIdsInsideTheVocabulary()
    {
        var schema = Schema(new ModalityDescriptor("words", [-1], ModalityKind.Tokens, Vocab: 10));
        var data = schema.Bind(new Dictionary<string, NpyArray> { ["words"] = Longs([1, 2, 9, 0], 2, 2), ["label"] = Labels(2) }, Source);
        Assert.Equal([1L, 2L, 9L, 0L], data["words"].Longs!);
        Assert.Equal("data/x.npz: modality 'words' has dtype float32 but a tokens modality needs integer token ids (int64 or int32).",
            Error(schema, new() { ["words"] = Floats(2, 2), ["label"] = Labels(2) }));
        Assert.Equal("data/x.npz: modality 'words' has token id 10 in sample 1, outside the vocabulary [0, 10).",
            Error(schema, new() { ["words"] = Longs([1, 2, 10, 0], 2, 2), ["label"] = Labels(2) }));
    }

    [Fact]
    public void FloatModalitiesAcceptIntegers()
    {
        var schema = Schema(new ModalityDescriptor("audio", [2], ModalityKind.Vector));
        var data = schema.Bind(new Dictionary<string, NpyArray> { ["audio"] = Longs([1, 2, 3, 4], 2, 2), ["label"] = Labels(2) }, Source);
        Assert.Equal([1f, 2f, 3f, 4f], data["audio"].Floats!);
    }

    [Fact]
    public void ClassificationTargets()
    {
        var schema = Schema(new ModalityDescriptor("audio", [2], ModalityKind.Vector));
        var column = schema.Bind(new Dictionary<string, NpyArray> { ["audio"] = Floats(2, 2), ["label"] = Longs([2, 0], 2, 1) }, Source)["label"];
        Assert.Equal([2L, 0L], column.Longs!);
        Assert.Equal("data/x.npz: target 'label' has class 3 in sample 1, outside [0, 3).",
            Error(schema, new() { ["audio"] = Floats(2, 2), ["label"] = Longs([2, 3], 2) }));
        Assert.Equal("data/x.npz: target 'label' has dtype float32 but class labels must be integers (int64 or int32).",
            Error(schema, new() { ["audio"] = Floats(2, 2), ["label"] = Floats(2) }));
        Assert.Equal("data/x.npz: target 'label' has shape [2, 3] but a classification target is one class index per sample ([] per sample, an array [samples]).",
            Error(schema, new() { ["audio"] = Floats(2, 2), ["label"] = Longs(new long[6], 2, 3) }));
    }

    [Fact]
    public void RegressionAndMultilabelTargets()
    {
        var modalities = new ModalityDescriptor[] { new("audio", [2], ModalityKind.Vector) };
        var regression = new DataSchema(modalities, [new TargetDescriptor("score", TargetKind.Regression, 1)]);
        Assert.Equal([1], regression.Bind(new Dictionary<string, NpyArray> { ["audio"] = Floats(2, 2), ["score"] = Floats(2) }, Source)["score"].SampleShape);
        var wide = new DataSchema(modalities, [new TargetDescriptor("score", TargetKind.Regression, 2)]);
        Assert.Equal("data/x.npz: target 'score' has shape [2, 3] but the spec declares [2] per sample.",
            Assert.Throws<DataException>(() => wide.Bind(new Dictionary<string, NpyArray> { ["audio"] = Floats(2, 2), ["score"] = Floats(2, 3) }, Source)).Message);

        var multilabel = new DataSchema(modalities, [new TargetDescriptor("tags", TargetKind.Multilabel, 2)]);
        Assert.Equal([1f, 0f, 0f, 1f], multilabel.Bind(new Dictionary<string, NpyArray> { ["audio"] = Floats(2, 2), ["tags"] = Longs([1, 0, 0, 1], 2, 2) }, Source)["tags"].Floats!);
        Assert.Equal("data/x.npz: target 'tags' has value 0.5 in sample 1, label 0; multilabel targets are 0 or 1.",
            Assert.Throws<DataException>(() => multilabel.Bind(new Dictionary<string, NpyArray> { ["audio"] = Floats(2, 2), ["tags"] = new NpyArray([2, 2], [1f, 0f, 0.5f, 1f]) }, Source)).Message);
    }

    [Fact]
    public void ValidateChecksAnInMemoryDataset()
    {
        var schema = Schema(new ModalityDescriptor("audio", [4], ModalityKind.Vector));
        var data = new Dataset([DataColumn.FromFloats("audio", new float[6], [3]), DataColumn.FromLongs("label", [0, 1], [])]);
        Assert.Equal("synthetic: modality 'audio' has shape [3] per sample but the spec declares [4].",
            Assert.Throws<DataException>(() => schema.Validate(data, "synthetic")).Message);
    }

    [Fact]
    public void DescriptorsAreChecked()
    {
        Assert.Throws<ArgumentException>(() => Schema(new ModalityDescriptor("words", [8], ModalityKind.Tokens)));
        Assert.Throws<ArgumentException>(() => Schema(new ModalityDescriptor("img", [3, 8], ModalityKind.Image)));
        Assert.Throws<ArgumentException>(() => Schema(new ModalityDescriptor("v", [-1], ModalityKind.Vector)));
        Assert.Throws<ArgumentException>(() => Schema(new ModalityDescriptor("label", [2], ModalityKind.Vector)));
    }
}
