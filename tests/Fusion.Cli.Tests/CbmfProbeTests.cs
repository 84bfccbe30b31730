using System.Text.Json;

namespace Fusion.Cli.Tests;

/// <summary>
/// CBMF's evaluation end to end on <c>specs/cbmf.yaml</c>: one epoch of contrastive training over
/// the frozen (synthetic) embeddings, then <c>fusion probe</c> on the input of the first embedding
/// head (the fusion encoder's image output) predicts the class of the shared latent far above chance.
/// </summary>
public sealed class CbmfProbeTests
{
    [Fact]
    public void A_probe_of_the_cbmf_fusion_output_beats_chance_after_one_epoch()
    {
        using var run = new RunFolder();
        var spec = RepoPaths.Spec("cbmf.yaml");
        var train = CliRun.Of("train", spec, "--epochs", "1", "--samples", "512", "--out", run.Path);
        Assert.True(train.Exit == 0, train.Out + train.Err);

        var probe = CliRun.Of("probe", spec, "--run", run.Path, "--samples", "512");
        Assert.True(probe.Exit == 0, probe.Out + probe.Err);
        Assert.StartsWith("probe dfe.image_proj [256] -> shared_class (4 classes): test accuracy ", probe.OutLines[0]);
        using var json = JsonDocument.Parse(File.ReadAllText(run.File("probe.json")));
        double accuracy = json.RootElement.GetProperty("test_accuracy").GetDouble(), chance = json.RootElement.GetProperty("chance").GetDouble();
        // seen: 0.76 against a chance of 0.37 on 51 test samples
        Assert.True(accuracy > chance + 0.2, $"test accuracy {accuracy}, chance {chance}");
    }
}
