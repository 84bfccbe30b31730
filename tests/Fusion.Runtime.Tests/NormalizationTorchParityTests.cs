using System.Text.Json;

namespace Fusion.Runtime.Tests;

/// <summary>
/// LayerNorm, BatchNorm (training, with the running-statistics update, and eval), L2Normalize and
/// Embedding with padding: values and gradients against PyTorch 1.13 (skipped with the reason when torch is absent).
/// </summary>
public class NormalizationTorchParityTests
{
    private const string Script = """
        import json, sys, torch
        import torch.nn.functional as F
        d = json.load(sys.stdin)
        out = {}
        def leaf(name, shape): return torch.tensor(d[name]).reshape(shape).requires_grad_()
        G = torch.tensor(d["g"]).reshape(6, 20)
        # layer norm
        x, w, b = leaf("x", (6, 20)), leaf("w", (20,)), leaf("b", (20,))
        y = F.layer_norm(x, (20,), w, b, 1e-5); (y * G).sum().backward()
        out["ln"] = [y.flatten().tolist(), x.grad.flatten().tolist(), w.grad.tolist(), b.grad.tolist()]
        # batch norm, training, channels = 20
        x, w, b = leaf("x", (6, 20)), leaf("w", (20,)), leaf("b", (20,))
        rm, rv = torch.tensor(d["rm"]), torch.tensor(d["rv"])
        y = F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5); (y * G).sum().backward()
        out["bn"] = [y.flatten().tolist(), x.grad.flatten().tolist(), w.grad.tolist(), b.grad.tolist(), rm.tolist(), rv.tolist()]
        # batch norm, eval with those running statistics
        x, w, b = leaf("x", (6, 20)), leaf("w", (20,)), leaf("b", (20,))
        y = F.batch_norm(x, rm, rv, w, b, training=False, eps=1e-5); (y * G).sum().backward()
        out["bn_eval"] = [y.flatten().tolist(), x.grad.flatten().tolist(), w.grad.tolist(), b.grad.tolist()]
        # L2 normalise rows
        x = leaf("x", (6, 20))
        y = F.normalize(x, p=2.0, dim=1); (y * G).sum().backward()
        out["l2"] = [y.flatten().tolist(), x.grad.flatten().tolist()]
        # embedding with padding index 2
        w = leaf("e", (5, 20))
        idx = torch.tensor([[0, 2, 4], [4, 1, 2]])
        y = F.embedding(idx, w, padding_idx=2); (y * G.reshape(2, 3, 20)).sum().backward()
        out["emb"] = [y.flatten().tolist(), w.grad.flatten().tolist()]
        print(json.dumps(out))
        """;

    private static float[] Values(ulong seed, int n, float scale = 1f, float shift = 0f)
    {
        var rng = new RandomSource(seed);
        var v = new float[n];
        rng.FillNormal(v, shift, scale);
        return v;
    }

    private static void Same(JsonElement expected, float[] actual, string what)
    {
        var e = expected.EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(e.Length, actual.Length);
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(e[i]), $"{what}[{i}]: ours {actual[i]:G9}, torch {e[i]:G9}");
    }

    private static (Tensor X, Tensor W, Tensor B) Leaves(float[] x, float[] w, float[] b) =>
        (Tensor.FromArray(x, 6, 20).SetRequiresGrad(), Tensor.FromArray(w).SetRequiresGrad(), Tensor.FromArray(b).SetRequiresGrad());

    [TorchFact]
    public void ValuesAndGradientsMatchTorch()
    {
        float[] x = Values(1, 120, 2f, 3f), w = Values(2, 20, 0.5f, 1f), b = Values(3, 20), g = Values(4, 120);
        float[] rm = Values(5, 20), rv = Values(6, 20).Select(v => 0.5f + v * v).ToArray(), e = Values(7, 100);
        var reference = TorchReference.Run(Script, JsonSerializer.Serialize(new { x, w, b, g, rm, rv, e }));
        var gt = Tensor.FromArray(g, 6, 20);

        var (lx, lw, lb) = Leaves(x, w, b);
        var ly = lx.LayerNorm(lw, lb);
        (ly * gt).Sum().Backward();
        var ln = reference.GetProperty("ln");
        Same(ln[0], ly.ToArray(), "layer_norm y");
        Same(ln[1], lx.Grad!.ToArray(), "layer_norm dx");
        Same(ln[2], lw.Grad!.ToArray(), "layer_norm dw");
        Same(ln[3], lb.Grad!.ToArray(), "layer_norm db");

        var runMean = Tensor.FromArray(rm);
        var runVar = Tensor.FromArray(rv);
        var (bx, bw, bb) = Leaves(x, w, b);
        var by = bx.BatchNorm(runMean, runVar, bw, bb, training: true);
        (by * gt).Sum().Backward();
        var bn = reference.GetProperty("bn");
        Same(bn[0], by.ToArray(), "batch_norm y");
        Same(bn[1], bx.Grad!.ToArray(), "batch_norm dx");
        Same(bn[2], bw.Grad!.ToArray(), "batch_norm dw");
        Same(bn[3], bb.Grad!.ToArray(), "batch_norm db");
        Same(bn[4], runMean.ToArray(), "running_mean");
        Same(bn[5], runVar.ToArray(), "running_var");

        var (ex, ew, eb) = Leaves(x, w, b);
        var ey = ex.BatchNorm(runMean, runVar, ew, eb, training: false);
        (ey * gt).Sum().Backward();
        var bne = reference.GetProperty("bn_eval");
        Same(bne[0], ey.ToArray(), "batch_norm eval y");
        Same(bne[1], ex.Grad!.ToArray(), "batch_norm eval dx");
        Same(bne[2], ew.Grad!.ToArray(), "batch_norm eval dw");
        Same(bne[3], eb.Grad!.ToArray(), "batch_norm eval db");

        var nx = Tensor.FromArray(x, 6, 20).SetRequiresGrad();
        var ny = nx.L2Normalize(1);
        (ny * gt).Sum().Backward();
        Same(reference.GetProperty("l2")[0], ny.ToArray(), "normalize y");
        Same(reference.GetProperty("l2")[1], nx.Grad!.ToArray(), "normalize dx");

        var table = Tensor.FromArray(e, 5, 20).SetRequiresGrad();
        var emb = Tensor.Embedding(LongTensor.FromArray([0, 2, 4, 4, 1, 2], 2, 3), table, paddingIndex: 2);
        (emb * gt.Reshape(2, 3, 20)).Sum().Backward();
        Same(reference.GetProperty("emb")[0], emb.ToArray(), "embedding y");
        Same(reference.GetProperty("emb")[1], table.Grad!.ToArray(), "embedding dweight");
    }
}
