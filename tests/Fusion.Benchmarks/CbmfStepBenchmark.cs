using System.Diagnostics;
using System.Globalization;
using Fusion.Models;
using Fusion.Runtime;
using Fusion.Runtime.Kernels;
using Fusion.Runtime.Optim;
using Fusion.Runtime.Training;

namespace Fusion.Benchmarks;

/// <summary>
/// One training step of the generated CBMF module (specs/cbmf.yaml, <c>CbmfAdd</c>, made by the source generator
/// from the copy obj/.../cbmf.fusion.yaml, see the csproj): forward in training mode (dropout on), the spec's
/// symmetric contrastive loss with the learnable scale min(exp(t), 100), backward, and the spec's optimiser
/// (AdamW lr 1e-3, weight decay 1e-3, built by <see cref="OptimizerFactory"/> as the trainer does), against the same
/// model written plainly in PyTorch (/usr/bin/python3, 1 and 2 threads); also the eval-mode forward without
/// gradients (inference). Before timing, both models' parameters (state-dict keys, shapes, count) are compared.
/// Rounds alternate ours and PyTorch; each configuration keeps its lowest median over the rounds.
/// Switches: --batches 64,256 ; --rounds N (default 3, 1 with --quick) ; --no-torch. Ours uses every core; for ours on one
/// thread run with DOTNET_PROCESSOR_COUNT=1 OPENBLAS_NUM_THREADS=1 (PyTorch's subprocess sets its own threads).
/// </summary>
public sealed class CbmfStepBenchmark : IBenchmark
{
    private const string Python = "/usr/bin/python3";

    public string Name => "cbmf-step";

    public string Description => "training step (forward, contrastive loss, backward, AdamW) and inference of the generated CBMF module (ours vs PyTorch)";

    public void Run(BenchmarkOptions options)
    {
        int[] batches = (options.Value("--batches") ?? "64,256").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        double warmup = options.Quick ? 0.2 : 0.6;
        int samples = options.Quick ? 7 : 21;
        int rounds = int.Parse(options.Value("--rounds") ?? (options.Quick ? "1" : "3"), CultureInfo.InvariantCulture);
        bool useTorch = !options.Has("--no-torch");
        string loadBefore = LoadAverage();

        // The same model? Keys, shapes and parameter count of both, before any timing.
        var ourParams = new CbmfAdd(new RandomSource(0)).NamedParameters().Select(p => (p.Name, Shape: Shape(p.Parameter.Shape.ToArray()))).ToList();
        long ourCount = ourParams.Sum(p => Numel(p.Shape));
        float ourLoss = FirstLoss(batches[0]);
        string torchNote = useTorch ? "" : "skipped (--no-torch)";
        List<(string Name, string Shape)>? torchParams = null;
        double torchLoss = double.NaN;
        if (useTorch)
        {
            var lines = RunTorch(["check", batches[0].ToString(CultureInfo.InvariantCulture)], out torchNote);
            if (lines is null) useTorch = false;
            else
            {
                torchParams = lines.Where(l => l[0] == "PARAM").Select(l => (l[1], l.Length > 2 ? l[2] : "[]")).ToList();
                torchLoss = lines.Where(l => l[0] == "LOSS").Select(l => double.Parse(l[1], CultureInfo.InvariantCulture)).FirstOrDefault(double.NaN);
            }
        }

        Console.WriteLine($"Model: CbmfAdd, generated from specs/cbmf.yaml by generators/Fusion.Generators (image [768], text [512], P 256, 1 post-norm layer, 4 heads, FF 2048, dropout 0.1).");
        Console.WriteLine($"Parameters: ours {ourCount:N0} in {ourParams.Count} tensors" + (torchParams is null ? "" : $"; torch {torchParams.Sum(p => Numel(p.Shape)):N0} in {torchParams.Count} tensors"));
        if (torchParams is not null)
        {
            var differences = ourParams.Select(p => $"{p.Name} {p.Shape}").Except(torchParams.Select(p => $"{p.Name} {p.Shape}"))
                .Select(d => "ours only: " + d)
                .Concat(torchParams.Select(p => $"{p.Name} {p.Shape}").Except(ourParams.Select(p => $"{p.Name} {p.Shape}")).Select(d => "torch only: " + d))
                .ToList();
            Console.WriteLine(differences.Count == 0
                ? "  same state-dict keys and shapes in both."
                : "  MISMATCH, the models differ:\n    " + string.Join("\n    ", differences));
            Console.WriteLine($"  first training-mode loss at batch {batches[0]} on random inputs (different initial weights; only a sanity check): ours {ourLoss.ToString("0.000", CultureInfo.InvariantCulture)}, torch {torchLoss.ToString("0.000", CultureInfo.InvariantCulture)}");
        }

        var oursTrain = new Dictionary<int, TimingStats>();
        var oursInfer = new Dictionary<int, TimingStats>();
        var torchTrain = new Dictionary<(int Threads, int Batch), TimingStats>();
        var torchInfer = new Dictionary<(int Threads, int Batch), TimingStats>();
        for (int round = 0; round < rounds; round++)
        {
            foreach (int b in batches)
            {
                var (train, infer) = MeasureOurs(b, warmup, samples);
                Keep(oursTrain, b, train);
                Keep(oursInfer, b, infer);
            }

            if (!useTorch) continue;
            var lines = RunTorch(["time", warmup.ToString(CultureInfo.InvariantCulture), samples.ToString(CultureInfo.InvariantCulture), string.Join(',', batches)], out torchNote);
            if (lines is null)
            {
                useTorch = false;
                continue;
            }

            foreach (var l in lines.Where(l => l.Length == 7 && l[0] == "RESULT"))
            {
                var key = (int.Parse(l[2], CultureInfo.InvariantCulture), int.Parse(l[3], CultureInfo.InvariantCulture));
                var stats = new TimingStats(Parse(l[4]), Parse(l[5]), Parse(l[6]), samples, 0);
                Keep(l[1] == "train" ? torchTrain : torchInfer, key, stats);
            }
        }

        string gemm = Gemm.OpenBlasAvailable ? $"OpenBLAS present ({OpenBlas.CoreName}, {OpenBlas.NumThreads} threads) for small and skinny products, managed GEMM otherwise" : "managed GEMM (no OpenBLAS)";
        if (Gemm.ConfiguredBackend is { } forced) gemm += $"; FUSION_BLAS forces {forced}";
        Console.WriteLine($"Ours: {Environment.ProcessorCount} core(s) (DOTNET_PROCESSOR_COUNT=1 OPENBLAS_NUM_THREADS=1 for one); {gemm}.");
        Console.WriteLine($"Median [p10..p90] of {samples} samples after {warmup:0.0} s warm-up; best median of {rounds} alternating round(s). Load average before: {loadBefore}, after: {LoadAverage()} ({Environment.ProcessorCount} cores).");
        if (torchNote.Length > 0) Console.WriteLine($"PyTorch: {torchNote}");
        Console.WriteLine();
        Table("Training step (train mode, forward + contrastive loss + backward + AdamW), ms/step", batches, oursTrain, torchTrain);
        Console.WriteLine();
        Table("Inference (eval mode, no gradients, forward only), ms/batch", batches, oursInfer, torchInfer);
        Console.WriteLine("torch/ours is torch's faster thread setting over ours: > 1 means we are faster.");
        Console.WriteLine("PyTorch's inference runs under torch.no_grad(), where nn.TransformerEncoderLayer may take its fused fast path.");
    }

    private static void Keep<TKey>(Dictionary<TKey, TimingStats> best, TKey key, TimingStats stats) where TKey : notnull
    {
        if (!best.TryGetValue(key, out var old) || stats.Median < old.Median) best[key] = stats;
    }

    private static void Table(string title, int[] batches, Dictionary<int, TimingStats> ours, Dictionary<(int Threads, int Batch), TimingStats> torch)
    {
        Console.WriteLine(title);
        Console.WriteLine($"{"batch",5} | {"ours",-30} | {"torch 1 thread",-30} | {"torch 2 threads",-30} | {"torch/ours",10}");
        Console.WriteLine(new string('-', 5) + "-+-" + new string('-', 30) + "-+-" + new string('-', 30) + "-+-" + new string('-', 30) + "-+-" + new string('-', 10));
        foreach (int b in batches)
        {
            var o = ours[b];
            string t1 = "n/a", t2 = "n/a", ratio = "n/a";
            if (torch.TryGetValue((1, b), out var s1) && torch.TryGetValue((2, b), out var s2))
            {
                t1 = Cell(s1);
                t2 = Cell(s2);
                ratio = (Math.Min(s1.Median, s2.Median) / o.Median).ToString("0.00", CultureInfo.InvariantCulture);
            }
            Console.WriteLine($"{b,5} | {Cell(o),-30} | {t1,-30} | {t2,-30} | {ratio,10}");
        }
    }

    private static string Cell(TimingStats s) => $"{Ms(s.Median)} [{Ms(s.P10)}..{Ms(s.P90)}]";

    private static string Ms(double seconds) => (seconds * 1e3).ToString("0.000", CultureInfo.InvariantCulture);

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static string Shape(int[] shape) => "[" + string.Join(",", shape) + "]";

    private static long Numel(string shape) =>
        shape == "[]" ? 1 : shape.Trim('[', ']').Split(',').Aggregate(1L, (n, d) => n * long.Parse(d, CultureInfo.InvariantCulture));

    /// <summary>The generated model, the spec's optimiser and a fixed random batch (created outside any scope).</summary>
    private sealed class Setup
    {
        public Setup(int batch)
        {
            var rng = new RandomSource(1234);
            Model = new CbmfAdd(rng);
            Optimizer = OptimizerFactory.Create(Model, Model.Descriptor.Training).Optimizer;
            Batch = new CbmfAdd.Batch { Image = Tensor.Randn(rng, batch, 768), Text = Tensor.Randn(rng, batch, 512) };
        }

        public CbmfAdd Model { get; }

        public Optimizer Optimizer { get; }

        public CbmfAdd.Batch Batch { get; }

        /// <summary>As the trainer's step: forward, loss, backward, step, zero the gradients.</summary>
        public float TrainStep()
        {
            using var scope = Tensor.NewScope();
            var output = Model.Forward(Batch);
            var loss = Model.Loss(output, Batch).Total;
            float value = loss.Item();
            loss.Backward();
            Optimizer.Step();
            Optimizer.ZeroGrad();
            return value;
        }

        public void Infer()
        {
            using var noGrad = Tensor.NoGrad();
            using var scope = Tensor.NewScope();
            Model.Forward(Batch);
        }
    }

    private static float FirstLoss(int batch)
    {
        var setup = new Setup(batch);
        setup.Model.Train();
        return setup.TrainStep();
    }

    private static (TimingStats Train, TimingStats Infer) MeasureOurs(int batch, double warmup, int samples)
    {
        var setup = new Setup(batch);
        setup.Model.Train();
        var train = Timing.Measure(() => setup.TrainStep(), warmup, samples);
        setup.Model.Eval();
        var infer = Timing.Measure(setup.Infer, warmup, samples);
        return (train, infer);
    }

    private const string TorchScript = """
        import math, sys, time, torch
        import torch.nn as nn
        import torch.nn.functional as F

        # specs/cbmf.yaml written plainly; module names follow the generated module's state-dict keys.
        P = 256

        class ContextMlp(nn.Module):
            def __init__(self, width, hidden, out):
                super().__init__()
                dims = [width] + hidden + [out]
                self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
                self.norm = nn.LayerNorm(out)
            def forward(self, x):
                for i, layer in enumerate(self.layers):
                    x = layer(x)
                    if i < len(self.layers) - 1:
                        x = F.relu(x)
                return self.norm(x)

        class ContextVectors(nn.Module):
            def __init__(self):
                super().__init__()
                self.vectors = nn.ParameterDict({m: nn.Parameter(torch.randn(3) * 0.3) for m in ("image", "text")})
                self.mlp = ContextMlp(3, [64, 128], P)
            def forward(self):
                k = self.mlp(torch.stack([self.vectors["image"], self.vectors["text"]]))
                return k[0], k[1]

        class ProjectionHead(nn.Module):
            def __init__(self, d_in):
                super().__init__()
                self.fc1 = nn.Linear(d_in, P)
                self.fc2 = nn.Linear(P, P)
                self.dropout = nn.Dropout(0.1)
                self.norm = nn.LayerNorm(P)
            def forward(self, x):
                return self.norm(self.dropout(self.fc2(F.gelu(self.fc1(x)))))

        class DeepFusionEncoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.norm = nn.LayerNorm(P)
                layer = nn.TransformerEncoderLayer(P, 4, dim_feedforward=2048, dropout=0.1, batch_first=True)
                self.encoder = nn.TransformerEncoder(layer, 1)
            def forward(self, x, k):
                a = x.unsqueeze(1) + k                      # combine: add; a vector is one token
                out = a + self.encoder(self.norm(a))
                return out.mean(1)

        class EmbeddingHead(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleList([nn.Linear(P, P)])
            def forward(self, x):
                return self.layers[0](x)

        class ContrastiveScale(nn.Module):
            def __init__(self, temperature, max_scale):
                super().__init__()
                self.logit_scale = nn.Parameter(torch.tensor(math.log(1.0 / temperature)))
                self.max_scale = max_scale
            def forward(self, za, zb):
                scale = self.logit_scale.exp().clamp(max=self.max_scale)
                logits = F.normalize(za, dim=-1) @ F.normalize(zb, dim=-1).t() * scale
                target = torch.arange(za.shape[0])
                return (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)) * 0.5

        class Cbmf(nn.Module):
            def __init__(self):
                super().__init__()
                self.context = ContextVectors()
                self.image_proj = ProjectionHead(768)
                self.text_proj = ProjectionHead(512)
                self.dfe = DeepFusionEncoder()
                self.image_embedding = EmbeddingHead()
                self.text_embedding = EmbeddingHead()
                self.losses = nn.ModuleDict({"alignment": ContrastiveScale(0.07, 100.0)})
            def forward(self, image, text):
                k_image, k_text = self.context()
                zi = self.image_embedding(self.dfe(self.image_proj(image), k_image))
                zt = self.text_embedding(self.dfe(self.text_proj(text), k_text))
                return zi, zt

        def setup(b):
            torch.manual_seed(0)
            model = Cbmf()
            opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.999), weight_decay=1e-3)
            image, text = torch.randn(b, 768), torch.randn(b, 512)
            def step():
                zi, zt = model(image, text)
                loss = model.losses["alignment"](zi, zt)
                value = loss.item()
                loss.backward()
                opt.step()
                opt.zero_grad(set_to_none=True)
                return value
            def infer():
                with torch.no_grad():
                    model(image, text)
            return model, step, infer

        def measure(op, warmup, samples):
            start = time.perf_counter(); n = 0
            while time.perf_counter() - start < warmup:
                op(); n += 1
            per_sample = max(1, int(0.025 / ((time.perf_counter() - start) / n)))
            times = []
            for _ in range(samples):
                t0 = time.perf_counter()
                for _ in range(per_sample): op()
                times.append((time.perf_counter() - t0) / per_sample)
            times.sort()
            return times[len(times) // 2], times[len(times) // 10], times[len(times) - 1 - len(times) // 10]

        if sys.argv[1] == "check":
            model, step, _ = setup(int(sys.argv[2]))
            for name, p in model.named_parameters():
                print("PARAM", name, "[" + ",".join(str(d) for d in p.shape) + "]")
            model.train()
            print("LOSS", step(), flush=True)
        else:
            warmup = float(sys.argv[2]); samples = int(sys.argv[3]); batches = [int(b) for b in sys.argv[4].split(",")]
            for threads in (1, 2):
                torch.set_num_threads(threads)
                for b in batches:
                    model, step, infer = setup(b)
                    model.train()
                    print("RESULT train", threads, b, *("%.9e" % t for t in measure(step, warmup, samples)), flush=True)
                    model.eval()
                    print("RESULT infer", threads, b, *("%.9e" % t for t in measure(infer, warmup, samples)), flush=True)
        """;

    /// <summary>Runs the script with <paramref name="arguments"/>; its output lines split on spaces, or null (with the reason in <paramref name="note"/>).</summary>
    private static List<string[]>? RunTorch(string[] arguments, out string note)
    {
        if (!File.Exists(Python))
        {
            note = $"skipped ({Python} not found)";
            return null;
        }
        string script = Path.Combine(Path.GetTempPath(), $"fusion-cbmf-step-{Environment.ProcessId}.py");
        File.WriteAllText(script, TorchScript);
        try
        {
            var psi = new ProcessStartInfo(Python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(script);
            foreach (var a in arguments) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string err = stderr.Result.Trim();
                note = "skipped (" + (err.Contains("No module named 'torch'") ? "torch is not installed" : "python failed: " + err.Split('\n')[^1]) + ")";
                return null;
            }
            note = "torch " + TorchVersion();
            return stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.Split(' ')).ToList();
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string TorchVersion()
    {
        var psi = new ProcessStartInfo(Python, ["-c", "import torch; print(torch.__version__)"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        string v = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return v;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
