using System.Text.Json;
using Fusion.Runtime.Optim;

namespace Fusion.Runtime.Tests;

/// <summary>
/// Parameter trajectories of Sgd, Adam and AdamW over a few steps of a tiny least-squares problem,
/// against torch.optim run by /usr/bin/python3 (skipped with the reason when torch is absent).
/// W [3, 8] has 24 elements, so both the Vector512 loop and the scalar tail are exercised.
/// </summary>
public class OptimizerTorchParityTests
{
    private const int Steps = 4;

    private static readonly string[] Configs = ["sgd_nesterov", "sgd_dampening", "adam", "adamw", "adam_groups"];

    private const string Script = """
        import json, sys, torch
        d = json.load(sys.stdin)
        X = torch.tensor(d["X"]).reshape(5, 8); Y = torch.tensor(d["Y"]).reshape(5, 3)
        out = {}
        for name in d["configs"]:
            W = torch.tensor(d["W"]).reshape(3, 8).requires_grad_(); b = torch.tensor(d["b"]).requires_grad_()
            if name == "sgd_nesterov": opt = torch.optim.SGD([W, b], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
            elif name == "sgd_dampening": opt = torch.optim.SGD([W, b], lr=0.1, momentum=0.8, dampening=0.3)
            elif name == "adam": opt = torch.optim.Adam([W, b], lr=0.05, weight_decay=0.1)
            elif name == "adamw": opt = torch.optim.AdamW([W, b], lr=0.05, weight_decay=0.1)
            else: opt = torch.optim.Adam([{"params": [W]}, {"params": [b], "lr": 0.01}], lr=0.05)
            traj = []
            for _ in range(int(d["steps"])):
                loss = ((X @ W.T + b - Y) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                traj.append(W.detach().flatten().tolist() + b.detach().tolist())
            out[name] = traj
        print(json.dumps(out))
        """;

    private static float[] Values(int n, Func<int, double> f) => Enumerable.Range(0, n).Select(i => (float)f(i)).ToArray();

    private static Optimizer Create(string name, Tensor w, Tensor b) => name switch
    {
        "sgd_nesterov" => new Sgd([w, b], 0.1f, momentum: 0.9f, nesterov: true, weightDecay: 0.01f),
        "sgd_dampening" => new Sgd([w, b], 0.1f, momentum: 0.8f, dampening: 0.3f),
        "adam" => new Adam([w, b], learningRate: 0.05f, weightDecay: 0.1f),
        "adamw" => new AdamW([w, b], learningRate: 0.05f, weightDecay: 0.1f),
        _ => new Adam([new ParamGroup([w]), new ParamGroup([b], learningRate: 0.01f)], learningRate: 0.05f),
    };

    [TorchFact]
    public void TrajectoriesMatchTorchOptim()
    {
        float[] w0 = Values(24, i => 0.5 * Math.Sin(i + 1));
        float[] b0 = Values(3, i => 0.1 * (i - 1));
        float[] x = Values(40, i => Math.Cos(0.7 * i));
        float[] y = Values(15, i => Math.Sin(0.3 * i + 0.5));
        string input = JsonSerializer.Serialize(new { W = w0, b = b0, X = x, Y = y, steps = Steps, configs = Configs });
        var reference = TorchReference.Run(Script, input);

        var xt = Tensor.FromArray(x, 5, 8);
        var yt = Tensor.FromArray(y, 5, 3);
        foreach (string name in Configs)
        {
            var w = Tensor.FromArray(w0, 3, 8).SetRequiresGrad();
            var b = Tensor.FromArray(b0, 3).SetRequiresGrad();
            var opt = Create(name, w, b);
            var expected = reference.GetProperty(name);
            for (int step = 0; step < Steps; step++)
            {
                using (Tensor.NewScope())
                {
                    var diff = Tensor.Linear(xt, w, b) - yt;
                    var loss = (diff * diff).Mean();
                    opt.ZeroGrad();
                    loss.Backward();
                    opt.Step();
                }
                float[] ours = [.. w.ToArray(), .. b.ToArray()];
                var theirs = expected[step].EnumerateArray().Select(e => e.GetSingle()).ToArray();
                for (int i = 0; i < ours.Length; i++)
                    Assert.True(Math.Abs(ours[i] - theirs[i]) <= 2e-6 + 2e-5 * Math.Abs(theirs[i]),
                        $"{name}, step {step + 1}, element {i}: ours {ours[i]:G9}, torch {theirs[i]:G9}");
            }
        }
    }
}
