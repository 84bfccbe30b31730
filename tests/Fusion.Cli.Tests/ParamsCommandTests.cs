using System.Text.RegularExpressions;

namespace Fusion.Cli.Tests;

public class ParamsCommandTests
{
    private static readonly Regex ParameterLine = new(@"^(?<key>[A-Za-z_][A-Za-z0-9_.]*)\t\[(?<dims>\d+(, \d+)*)?\]$");

    [Fact]
    public void EveryLineIsKeyTabShape()
    {
        var run = CliRun.Of("params", RepoPaths.Spec("tfn.yaml"));

        Assert.Equal(0, run.Exit);
        Assert.NotEmpty(run.OutLines);
        Assert.All(run.OutLines, line => Assert.Matches(ParameterLine, line));
        Assert.Equal(run.OutLines.Length, run.OutLines.Distinct().Count());
    }

    [Fact]
    public void TfnTotalMatchesTheHandCount()
    {
        // specs/tfn.yaml, counted by hand (weight [out, in] + bias [out] per Linear):
        //   text_lstm  LSTM(300 -> 128): weight_ih 4*128*300 = 153,600; weight_hh 4*128*128 = 65,536;
        //              bias_ih 512 + bias_hh 512 = 1,024                            -> 220,160
        //   text_h     Linear(128 -> 32): 128*32 + 32                               ->   4,128
        //   audio_h    MLP 74 -> 32 -> 32 -> 16: (74*32 + 32) + (32*32 + 32) + (32*16 + 16)
        //              = 2,400 + 1,056 + 528                                        ->   3,984
        //   vision_h   MLP 35 -> 32 -> 32 -> 16: (35*32 + 32) + 1,056 + 528 = 1,152 + 1,584 -> 2,736
        //   tfn        tensor fusion, no parameters; width (32+1)*(16+1)*(16+1) = 9,537
        //   fused      MLP 9537 -> 128 -> 128: (9537*128 + 128) + (128*128 + 128)
        //              = 1,220,864 + 16,512                                         -> 1,237,376
        //   sentiment  regressor Linear(128 -> 1): 128 + 1                          ->     129
        //   total 220,160 + 4,128 + 3,984 + 2,736 + 1,237,376 + 129                 = 1,468,513
        const long expected = 220_160 + 4_128 + 3_984 + 2_736 + 1_237_376 + 129;
        Assert.Equal(1_468_513, expected);

        var run = CliRun.Of("params", RepoPaths.Spec("tfn.yaml"));

        Assert.Equal(0, run.Exit);
        Assert.Equal($"total: {expected} parameters in 24 tensors", Assert.Single(run.ErrLines));
        long summed = run.OutLines.Select(l => ParameterLine.Match(l).Groups["dims"].Value)
            .Select(dims => dims.Split(", ").Aggregate(1L, (product, d) => product * long.Parse(d)))
            .Sum();
        Assert.Equal(expected, summed);
    }

    [Fact]
    public void TfnKeysFollowTheStateDictLayout()
    {
        var run = CliRun.Of("params", RepoPaths.Spec("tfn.yaml"));

        Assert.Contains("text_lstm.weight_ih_l0\t[512, 300]", run.OutLines);
        Assert.Contains("text_lstm.weight_hh_l0\t[512, 128]", run.OutLines);
        Assert.Contains("text_h.weight\t[32, 128]", run.OutLines);
        Assert.Contains("audio_h.layers.2.weight\t[16, 32]", run.OutLines);
        Assert.Contains("fused.layers.0.weight\t[128, 9537]", run.OutLines);
        Assert.Contains("sentiment.layers.0.bias\t[1]", run.OutLines);
    }

    [Fact]
    public void LearnableContrastiveScaleIsAScalar()
    {
        var run = CliRun.Of("params", RepoPaths.Spec("cbmf.yaml"));

        Assert.Equal(0, run.Exit);
        Assert.Contains("losses.alignment.logit_scale\t[]", run.OutLines);
        Assert.Contains("context.vectors.image\t[3]", run.OutLines);
    }

    [Fact]
    public void MissingFileExitsTwo()
    {
        var run = CliRun.Of("params", "nowhere.yaml");

        Assert.Equal(2, run.Exit);
        Assert.Contains("nowhere.yaml", run.Err);
        Assert.Equal(string.Empty, run.Out);
    }
}
