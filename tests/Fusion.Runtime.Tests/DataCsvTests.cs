using Fusion.Runtime.Data;

namespace Fusion.Runtime.Tests;

/// <summary>CSV data with a column mapping: names, ranges, and every refusal's message.</summary>
public sealed class DataCsvTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("fusion-csv-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly DataSchema Schema = new(
        [
            new ModalityDescriptor("audio", [3], ModalityKind.Vector),
            new ModalityDescriptor("seq", [-1, 2], ModalityKind.Sequence),
            new ModalityDescriptor("extra", [2], ModalityKind.Vector, Optional: true),
        ],
        [new TargetDescriptor("label", TargetKind.Classification, 3), new TargetDescriptor("score", TargetKind.Regression, 1)]);

    private static readonly Dictionary<string, string> Columns = new()
    {
        ["audio"] = "a0:a2",
        ["seq"] = "s1:s4",
        ["seq_lengths"] = "n",
        ["label"] = "cls",
        ["score"] = "target",
    };

    private string Write(string text)
    {
        string path = Path.Combine(folder, "d.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private const string Good = """
        id,a0,a1,a2,s1,s2,s3,s4,n,cls,target
        0,1.5,2,3,10,11,12,13,2,0,0.25
        1,-1,0.5,1e-3,20,21,22,23,1,2.0,-4
        """;

    [Fact]
    public void ReadsNamedColumnsAndRangesInOrder()
    {
        var data = CsvData.Read(Write(Good), Schema, Columns);
        Assert.Equal(2, data.Count);
        Assert.Equal([1.5f, 2f, 3f, -1f, 0.5f, 1e-3f], data["audio"].Floats!);
        Assert.Equal([2, 2], data["seq"].SampleShape);
        Assert.Equal([10f, 11, 12, 13, 20, 21, 22, 23], data["seq"].Floats!);
        Assert.Equal([2, 1], data["seq"].Lengths!);
        Assert.Equal([0L, 2L], data["label"].Longs!);
        Assert.Equal([0.25f, -4f], data["score"].Floats!);
        Assert.Equal(new float[4], data["extra"].Floats!); // optional and unmapped: zeros
    }

    [Fact]
    public void RangesExpandWithTheirPrefix()
    {
        Assert.Equal(["text0", "text1", "text2"], CsvData.Expand("text0:text2", "f.csv", "modality 'text'"));
        Assert.Equal(["x_9", "x_10"], CsvData.Expand("x_9:x_10", "f.csv", "modality 'x'"));
        Assert.Equal(["label"], CsvData.Expand("label", "f.csv", "target 'label'"));
        Assert.Equal(299 + 1, CsvData.Expand("prefix0:prefix299", "f.csv", "m").Length);
    }

    private string Error(string text, Dictionary<string, string> columns) =>
        Assert.Throws<DataException>(() => CsvData.Read(Write(text), Schema, columns)).Message;

    private static Dictionary<string, string> With(string key, string? value)
    {
        var c = new Dictionary<string, string>(Columns);
        if (value is null) c.Remove(key);
        else c[key] = value;
        return c;
    }

    [Fact]
    public void MappingErrors()
    {
        string path = Path.Combine(folder, "d.csv");
        Assert.Equal($"{path}: modality 'audio' has no column mapping (map it to a column or a range such as audio0:audio2).", Error(Good, With("audio", null)));
        Assert.Equal($"{path}: target 'label' has no column mapping.", Error(Good, With("label", null)));
        Assert.Equal($"{path}: modality 'audio' is mapped to 2 columns ('a0:a1') but the spec declares [3] per sample, 3 values.", Error(Good, With("audio", "a0:a1")));
        Assert.Equal($"{path}: modality 'seq' is mapped to 3 columns ('s1:s3'), not a whole number of steps of [2] values each (declared [N, 2]).", Error(Good, With("seq", "s1:s3")));
        Assert.Equal($"{path}: target 'score' is mapped to 2 column(s) ('a0:a1') but the spec declares [1] per sample, 1 value(s).", Error(Good, With("score", "a0:a1")));
        Assert.Equal($"{path}: the column mapping names 'video', which is not a declared modality or target (declared: audio, seq, seq_lengths, extra, label, score).", Error(Good, With("video", "a0")));
        Assert.Equal($"{path}: the range 'a0:b2' of modality 'audio' has two prefixes, 'a' and 'b'.", Error(Good, With("audio", "a0:b2")));
        Assert.Equal($"{path}: the range 'a2:a0' of modality 'audio' does not count upwards.", Error(Good, With("audio", "a2:a0")));
        Assert.Equal($"{path}: the columns of modality 'audio' 'a:b' are not a range like 'prefix0:prefix299'.", Error(Good, With("audio", "a:b")));
        Assert.Equal($"{path}: column 'a3' (mapped to modality 'audio') is not in the header.", Error(Good, With("audio", "a1:a3")));
    }

    [Fact]
    public void ValueErrors()
    {
        string path = Path.Combine(folder, "d.csv");
        Assert.Equal($"{path}: data row 2, column 'a1' (modality 'audio'): 'abc' is not a number.",
            Error(Good.Replace("-1,0.5,", "-1,abc,"), Columns));
        Assert.Equal($"{path}: data row 1, column 'cls' (target 'label'): '0.5' is not an integer.",
            Error(Good.Replace("2,0,0.25", "2,0.5,0.25"), Columns));
        Assert.Equal($"{path}: target 'label' has class 3 in sample 1, outside [0, 3).",
            Error(Good.Replace("1,2.0,-4", "1,3,-4"), Columns));
        Assert.Equal($"{path}: line 3 has 10 fields but the header has 11.",
            Error(Good.Replace(",1,2.0,-4", ",1,2.0"), Columns));
        Assert.Equal($"{path}: the CSV file is empty (a header row is required).", Error("", Columns));
        string missing = Path.Combine(folder, "none.csv");
        Assert.Equal($"{missing}: the CSV file does not exist.", Assert.Throws<DataException>(() => CsvData.Read(missing, Schema, Columns)).Message);
    }
}
