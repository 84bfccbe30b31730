using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Fusion.Runtime.Losses;

namespace Fusion.Runtime.Tests;

/// <summary>Every loss against central finite differences (the shared <see cref="GradientChecker"/>).</summary>
public class LossGradientTests
{
    private static readonly LongTensor Targets4 = LongTensor.FromArray([2L, 0L, 4L, 1L], 4);

    [Fact] public void CrossEntropy() => GradientChecker.Check(x => Loss.CrossEntropy(x[0], Targets4), [4, 5]);
    [Fact] public void CrossEntropySmoothed() => GradientChecker.Check(x => Loss.CrossEntropy(x[0], Targets4, labelSmoothing: 0.1f), [4, 5]);
    [Fact] public void CrossEntropySum() => GradientChecker.Check(x => Loss.CrossEntropy(x[0], Targets4, 0.2f, Reduction.Sum), [4, 5]);
    [Fact] public void CrossEntropyNone() => GradientChecker.Check(x => Loss.CrossEntropy(x[0], Targets4, 0.2f, Reduction.None), [4, 5]);
    [Fact] public void CrossEntropyOfTransposedView() => GradientChecker.Check(x => Loss.CrossEntropy(x[0].T(), Targets4, 0.1f), [5, 4]);

    private static Tensor Probabilities(ulong seed, params int[] shape) => Tensor.Uniform(new RandomSource(seed), 0.05f, 0.95f, shape);

    [Fact]
    public void BceWithLogits() =>
        GradientChecker.Check(x => Loss.BceWithLogits(x[0], x[1]), [Tensor.Randn(new RandomSource(1), 3, 4), Probabilities(2, 3, 4)]);

    [Fact]
    public void BceWithLogitsPositiveWeight() =>
        GradientChecker.Check(x => Loss.BceWithLogits(x[0], x[1], x[2]),
            [Tensor.Randn(new RandomSource(1), 3, 4) * 3f, Probabilities(2, 3, 4), Tensor.Uniform(new RandomSource(3), 0.5f, 3f, 4)]);

    [Fact]
    public void BceWithLogitsNone() =>
        GradientChecker.Check(x => Loss.BceWithLogits(x[0], x[1], reduction: Reduction.None), [Tensor.Randn(new RandomSource(4), 2, 3), Probabilities(5, 2, 3)]);

    [Fact] public void Mse() => GradientChecker.Check(x => Loss.Mse(x[0], x[1]), [3, 4], [3, 4]);
    [Fact] public void MseSum() => GradientChecker.Check(x => Loss.Mse(x[0], x[1], Reduction.Sum), [3, 4], [3, 4]);

    // Differences kept away from the kinks (0 for L1, |d| = beta for SmoothL1).
    private static readonly Tensor Left = Tensor.FromArray([0.3f, -1.7f, 2.5f, 0.05f, -0.6f, 1.2f], 2, 3);
    private static readonly Tensor Right = Tensor.FromArray([-0.4f, 0.1f, 1.1f, 0.8f, -0.55f, -1.3f], 2, 3);

    [Fact] public void L1() => GradientChecker.Check(x => Loss.L1(x[0], x[1]), [Left.Clone().Detach(), Right.Clone().Detach()]);
    [Fact] public void SmoothL1() => GradientChecker.Check(x => Loss.SmoothL1(x[0], x[1]), [Left.Clone().Detach(), Right.Clone().Detach()]);
    [Fact] public void SmoothL1Beta() => GradientChecker.Check(x => Loss.SmoothL1(x[0], x[1], beta: 0.5f, reduction: Reduction.None), [Left.Clone().Detach(), Right.Clone().Detach()]);

    [Fact] public void ContrastiveFixedScale() => GradientChecker.Check(x => Loss.Contrastive(x[0], x[1], 1f / 0.5f), [5, 4], [5, 4]);

    [Fact]
    public void ContrastiveLearnableScale() =>
        GradientChecker.Check(x => Loss.Contrastive(x[0], x[1], x[2]),
            [Tensor.Randn(new RandomSource(6), 4, 3), Tensor.Randn(new RandomSource(7), 4, 3), Tensor.FromArray([0.7f], 1)]);

    [Fact]
    public void ContrastiveScaleClampedHasNoGradient() =>
        GradientChecker.Check(x => Loss.Contrastive(x[0], x[1], x[2], maxScale: 1.5f),
            [Tensor.Randn(new RandomSource(6), 4, 3), Tensor.Randn(new RandomSource(7), 4, 3), Tensor.FromArray([0.7f], 1)]);

    [Fact] public void Cmd() => GradientChecker.Check(x => Loss.Cmd(x[0], x[1]), [6, 3], [5, 3]);
    [Fact] public void CmdTwoMoments() => GradientChecker.Check(x => Loss.Cmd(x[0], x[1], moments: 2), [4, 2], [4, 2]);

    [Fact] public void DiffLoss() => GradientChecker.Check(x => Loss.DiffLoss(x[0], x[1]), [5, 3], [5, 4]);

    [Fact] public void Dcca() => GradientChecker.Check(x => Loss.Dcca(x[0], x[1]), [10, 3], [10, 2]);
    [Fact] public void DccaTopK() => GradientChecker.Check(x => Loss.Dcca(x[0], x[1], ridge: 1e-2f, topK: 2), [12, 3], [12, 3]);

    [Fact] public void Sinkhorn() => GradientChecker.Check(x => Loss.Sinkhorn(x[0], x[1], eps: 1f, iterations: 10), [2, 4, 2], [2, 3, 2]);
    [Fact] public void SinkhornUnbatched() => GradientChecker.Check(x => Loss.Sinkhorn(x[0], x[1], eps: 0.5f, iterations: 5), [3, 2], [4, 2]);
    [Fact] public void SinkhornLogDomain() => GradientChecker.Check(x => Loss.Sinkhorn(x[0], x[1], eps: 1f, iterations: 10, logDomain: true), [2, 4, 2], [2, 3, 2]);

    [TorchFact]
    public void MatchesTorch()
    {
        var rng = new RandomSource(2024);
        var logits = Tensor.Randn(rng, 6, 5) * 2f;
        long[] targets = [0, 4, 2, 2, 1, 3];
        var bceX = Tensor.Randn(rng, 4, 3) * 3f;
        var bceY = Tensor.Rand(rng, 4, 3);
        var posWeight = Tensor.FromArray([0.5f, 2f, 3f], 3);
        var za = Tensor.Randn(rng, 5, 4);
        var zb = Tensor.Randn(rng, 5, 4);
        const float logScale = 1.3f;

        var input = new Dictionary<string, object>
        {
            ["logits"] = logits.ToArray(), ["targets"] = targets,
            ["bce_x"] = bceX.ToArray(), ["bce_y"] = bceY.ToArray(), ["pos_weight"] = posWeight.ToArray(),
            ["za"] = za.ToArray(), ["zb"] = zb.ToArray(), ["t"] = logScale,
        };
        var torch = TorchReference.Run(TorchScript, JsonSerializer.Serialize(input));

        var ce = Loss.CrossEntropy(logits.SetRequiresGrad(), LongTensor.FromArray(targets, 6), labelSmoothing: 0.15f);
        ce.Backward();
        Compare(torch, "ce", ce, ("ce_grad", logits));

        var bce = Loss.BceWithLogits(bceX.SetRequiresGrad(), bceY.SetRequiresGrad(), posWeight);
        bce.Backward();
        Compare(torch, "bce", bce, ("bce_grad_x", bceX), ("bce_grad_y", bceY));

        za.SetRequiresGrad();
        zb.SetRequiresGrad();
        var fixedScale = Loss.Contrastive(za, zb, 1f / 0.07f);
        fixedScale.Backward();
        Compare(torch, "clip_fixed", fixedScale, ("clip_fixed_grad_a", za), ("clip_fixed_grad_b", zb));

        za.Grad = null;
        zb.Grad = null;
        var t = Tensor.FromArray([logScale], 1).SetRequiresGrad();
        var learnable = Loss.Contrastive(za, zb, t);
        learnable.Backward();
        Compare(torch, "clip_learn", learnable, ("clip_learn_grad_a", za), ("clip_learn_grad_b", zb), ("clip_learn_grad_t", t));
    }

    [TorchFact]
    public void AlignmentLossesMatchTorch()
    {
        var rng = new RandomSource(77);
        var cmdX = Tensor.Randn(rng, 6, 3);
        var cmdY = Tensor.Randn(rng, 5, 3) * 1.5f + 0.3f;
        var diffP = Tensor.Randn(rng, 5, 3);
        var diffS = Tensor.Randn(rng, 5, 4);
        var h1 = Tensor.Randn(rng, 12, 3);
        var h2 = Tensor.Randn(rng, 12, 2) + Tensor.MatMul(h1, Tensor.Randn(rng, 3, 2));
        var skX = Tensor.Randn(rng, 2, 4, 2);
        var skY = Tensor.Randn(rng, 2, 3, 2);
        var convA = Tensor.Randn(rng, 2, 7);
        var convB = Tensor.Randn(rng, 2, 7);
        var convW = Tensor.Randn(rng, 2, 7);

        var input = new Dictionary<string, object>
        {
            ["cmd_x"] = cmdX.ToArray(), ["cmd_y"] = cmdY.ToArray(), ["diff_p"] = diffP.ToArray(), ["diff_s"] = diffS.ToArray(),
            ["h1"] = h1.ToArray(), ["h2"] = h2.ToArray(), ["sk_x"] = skX.ToArray(), ["sk_y"] = skY.ToArray(),
            ["conv_a"] = convA.ToArray(), ["conv_b"] = convB.ToArray(), ["conv_w"] = convW.ToArray(),
        };
        var torch = TorchReference.Run(AlignmentScript, JsonSerializer.Serialize(input));

        var cmd = Loss.Cmd(cmdX.SetRequiresGrad(), cmdY.SetRequiresGrad());
        cmd.Backward();
        Compare(torch, "cmd", cmd, ("cmd_grad_x", cmdX), ("cmd_grad_y", cmdY));

        var diff = Loss.DiffLoss(diffP.SetRequiresGrad(), diffS.SetRequiresGrad());
        diff.Backward();
        Compare(torch, "diff", diff, ("diff_grad_p", diffP), ("diff_grad_s", diffS));

        var dcca = Loss.Dcca(h1.SetRequiresGrad(), h2.SetRequiresGrad());
        dcca.Backward();
        Compare(torch, "dcca", dcca, ("dcca_grad_h1", h1), ("dcca_grad_h2", h2));

        var sinkhorn = Loss.Sinkhorn(skX.SetRequiresGrad(), skY.SetRequiresGrad(), eps: 0.5f, iterations: 20);
        sinkhorn.Backward();
        Compare(torch, "sinkhorn", sinkhorn, ("sinkhorn_grad_x", skX), ("sinkhorn_grad_y", skY));

        var conv = (Tensor.CircularConvolution(convA.SetRequiresGrad(), convB.SetRequiresGrad()) * convW).Sum();
        conv.Backward();
        Compare(torch, "conv", conv, ("conv_grad_a", convA), ("conv_grad_b", convB));
    }

    /// <summary>Independent PyTorch implementations written from methods.md (sections 2, 4, 5).</summary>
    private const string AlignmentScript = """
        import json, sys, torch
        import torch.nn.functional as F
        torch.set_default_dtype(torch.float64)
        d = json.load(sys.stdin)
        def leaf(key, *shape):
            return torch.tensor(d[key]).reshape(*shape).requires_grad_()
        out = {}
        def record(name, loss, **leaves):
            loss.backward()
            out[name] = loss.item()
            for k, v in leaves.items(): out[name + "_grad_" + k] = v.grad.flatten().tolist()
        x, y = leaf("cmd_x", 6, 3), leaf("cmd_y", 5, 3)
        mx, my = x.mean(0), y.mean(0)
        cmd = (mx - my).norm()
        for k in range(2, 6):
            cmd = cmd + (((x - mx) ** k).mean(0) - ((y - my) ** k).mean(0)).norm()
        record("cmd", cmd, x=x, y=y)
        p, s = leaf("diff_p", 5, 3), leaf("diff_s", 5, 4)
        pn = F.normalize(p - p.mean(0, keepdim=True), dim=1)
        sn = F.normalize(s - s.mean(0, keepdim=True), dim=1)
        record("diff", ((pn.t() @ sn) ** 2).mean(), p=p, s=s)
        h1, h2 = leaf("h1", 12, 3), leaf("h2", 12, 2)
        def inv_sqrt(S):
            l, V = torch.linalg.eigh(S)
            return V @ torch.diag(l ** -0.5) @ V.t()
        m, r = 12, 1e-3
        H1, H2 = (h1 - h1.mean(0)).t(), (h2 - h2.mean(0)).t()   # the paper's column layout
        S12 = H1 @ H2.t() / (m - 1)
        S11 = H1 @ H1.t() / (m - 1) + r * torch.eye(3)
        S22 = H2 @ H2.t() / (m - 1) + r * torch.eye(2)
        T = inv_sqrt(S11) @ S12 @ inv_sqrt(S22)
        record("dcca", -torch.linalg.svdvals(T).sum(), h1=h1, h2=h2)
        sx, sy = leaf("sk_x", 2, 4, 2), leaf("sk_y", 2, 3, 2)
        C = ((sx[:, :, None, :] - sy[:, None, :, :]) ** 2).sum(-1)
        K = torch.exp(-C / 0.5)
        v = torch.ones(2, 3)
        for _ in range(20):
            u = (1 / 4) / (K @ v[:, :, None])[:, :, 0]
            v = (1 / 3) / (K.transpose(1, 2) @ u[:, :, None])[:, :, 0]
        P = u[:, :, None] * K * v[:, None, :]
        record("sinkhorn", (P * C).sum((1, 2)).mean(), x=sx, y=sy)
        a, b, w = leaf("conv_a", 2, 7), leaf("conv_b", 2, 7), torch.tensor(d["conv_w"]).reshape(2, 7)
        conv = torch.fft.ifft(torch.fft.fft(a) * torch.fft.fft(b)).real
        record("conv", (conv * w).sum(), a=a, b=b)
        print(json.dumps(out))
        """;

    private static void Compare(JsonElement torch, string valueKey, Tensor value, params (string Key, Tensor Leaf)[] grads)
    {
        double expected = torch.GetProperty(valueKey).GetDouble();
        Assert.True(Math.Abs(expected - value.Item()) <= 1e-5 + 1e-5 * Math.Abs(expected), $"{valueKey}: ours {value.Item():G9}, torch {expected:G9}");
        foreach (var (key, leaf) in grads)
        {
            var reference = torch.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var ours = leaf.Grad!.ToArray();
            Assert.Equal(reference.Length, ours.Length);
            for (int i = 0; i < ours.Length; i++)
                Assert.True(Math.Abs(reference[i] - ours[i]) <= 1e-5 + 1e-4 * Math.Abs(reference[i]), $"{key}[{i}]: ours {ours[i]:G9}, torch {reference[i]:G9}");
        }
    }

    private const string TorchScript = """
        import json, sys, torch
        import torch.nn.functional as F
        torch.set_default_dtype(torch.float64)
        d = json.load(sys.stdin)
        def leaf(key, *shape):
            return torch.tensor(d[key]).reshape(*shape).requires_grad_()
        out = {}
        x = leaf("logits", 6, 5)
        ce = F.cross_entropy(x, torch.tensor(d["targets"]), label_smoothing=0.15)
        ce.backward()
        out["ce"] = ce.item(); out["ce_grad"] = x.grad.flatten().tolist()
        bx, by = leaf("bce_x", 4, 3), leaf("bce_y", 4, 3)
        bp = torch.tensor(d["pos_weight"])  # torch 1.13 has no gradient for pos_weight
        bce = F.binary_cross_entropy_with_logits(bx, by, pos_weight=bp)
        bce.backward()
        out["bce"] = bce.item()
        out["bce_grad_x"] = bx.grad.flatten().tolist(); out["bce_grad_y"] = by.grad.flatten().tolist();
        def clip(za, zb, s):
            logits = s * F.normalize(za, dim=-1) @ F.normalize(zb, dim=-1).t()
            labels = torch.arange(za.shape[0])
            return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
        for name in ["clip_fixed", "clip_learn"]:
            za, zb = leaf("za", 5, 4), leaf("zb", 5, 4)
            t = torch.tensor([d["t"]]).requires_grad_()
            scale = torch.tensor(1 / 0.07) if name == "clip_fixed" else t.exp().clamp(max=100)
            loss = clip(za, zb, scale)
            loss.backward()
            out[name] = loss.item()
            out[name + "_grad_a"] = za.grad.flatten().tolist(); out[name + "_grad_b"] = zb.grad.flatten().tolist()
            if name == "clip_learn": out[name + "_grad_t"] = t.grad.flatten().tolist()
        print(json.dumps(out))
        """;
}

/// <summary>Runs a PyTorch script with /usr/bin/python3 (JSON on stdin, JSON on stdout).</summary>
internal static class TorchReference
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} does not exist.";
        try
        {
            var (code, _, error) = Execute("import torch", "");
            return code == 0 ? null : $"{Python} cannot import torch: {error.Trim()}";
        }
        catch (Exception e)
        {
            return $"{Python} could not be started: {e.Message}";
        }
    });

    /// <summary>Why the torch comparison cannot run here, or null when it can.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    public static JsonElement Run(string script, string stdin)
    {
        var (code, output, error) = Execute(script, stdin);
        Assert.True(code == 0, $"the torch reference script failed ({code}): {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static (int Code, string Output, string Error) Execute(string script, string stdin)
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Python}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            throw new TimeoutException($"{Python} did not finish within 120 s.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>A fact that skips itself, with the reason, where /usr/bin/python3 cannot import torch.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (TorchReference.WhyUnavailable is { } reason) Skip = "PyTorch reference unavailable: " + reason;
    }
}
