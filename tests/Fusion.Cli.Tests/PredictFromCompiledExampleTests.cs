using Fusion.Runtime.Data;

namespace Fusion.Cli.Tests;

/// <summary>examples/PredictFromCompiled run in-process on an assembly written by <c>fusion compile</c>.</summary>
public sealed class PredictFromCompiledExampleTests
{
    private static (int Exit, string Out, string Err) RunExample(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int exit = PredictFromCompiled.Program.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Predicts_synthetic_samples_with_a_compiled_trained_model()
    {
        using var folder = new RunFolder();
        var spec = RepoPaths.Fixture("tiny-classifier.yaml");
        Assert.Equal(0, CliRun.Of("compile", spec, "-o", folder.Path).Exit);
        Assert.Equal(0, CliRun.Of("train", spec, "--epochs", "1", "--out", folder.File("run")).Exit);

        var (exit, output, error) = RunExample(folder.File("TinyClassifier.dll"), "--checkpoint", folder.File("run/model.safetensors"), "--samples", "3");
        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["TinyClassifier: 108 parameters, 3 samples", "label [3, 2]"], lines[..2]);
        Assert.Equal(5, lines.Length);
        Assert.All(lines[2..], l => Assert.Equal(2, l.Trim().Split(' ').Length));
    }

    [Fact]
    public void Predicts_the_modalities_of_an_npz_file()
    {
        using var folder = new RunFolder();
        Assert.Equal(0, CliRun.Of("compile", RepoPaths.Fixture("tiny-regressor.yaml"), "-o", folder.Path).Exit);
        var data = folder.File("x.npz");
        NpzWriter.Write(data, [
            KeyValuePair.Create("a", new NpyArray([2, 6], new float[12])),
            KeyValuePair.Create("b", new NpyArray([2, 6], Enumerable.Range(0, 12).Select(i => i / 12f).ToArray())),
        ]);

        var (exit, output, error) = RunExample(folder.File("TinyRegressor.dll"), "--data", data);
        Assert.True(exit == 0, error);
        Assert.Contains("score [2, 1]", output.Split('\n'));
    }

    [Fact]
    public void A_missing_assembly_is_one_line_and_exit_1()
    {
        var (exit, _, error) = RunExample("no/such/Model.dll");
        Assert.Equal(1, exit);
        Assert.StartsWith("PredictFromCompiled: ", error.Trim());
        Assert.Single(error.Trim().Split('\n'));
    }
}
