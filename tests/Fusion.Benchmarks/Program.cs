using System.Reflection;
using Fusion.Benchmarks;

// Usage: dotnet run -c Release --project tests/Fusion.Benchmarks -- [list | NAME...] [--quick] [--switches...]
// With no NAME every benchmark runs, in name order. Names come first; everything from the first "--" token on is
// options (--quick, and each benchmark's own switches, e.g. gemm's --shapes 32x300x64,256x300x256).
//
// Benchmarks are discovered: every public class in this assembly implementing IBenchmark, one file each.
//   gemm          GemmBenchmark.cs          GEMM paths and shapes
//   gemm-threads  GemmThreadsBenchmark.cs   where the managed GEMM starts to gain from a second thread
//   cbmf-step     CbmfStepBenchmark.cs      training step and inference of the generated specs/cbmf.yaml module vs PyTorch
// TRAINING-STEP BENCHMARK (to be added by the modules engineer): one training step of a 3-modality early-fusion
// MLP against PyTorch goes in TrainingStepBenchmark.cs as another IBenchmark (e.g. Name "training-step"); nothing
// here needs to change for it to be listed and run.

IBenchmark[] all = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t.IsClass && !t.IsAbstract && t.IsPublic && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToArray();

int firstOption = Array.FindIndex(args, a => a.StartsWith("--", StringComparison.Ordinal));
string[] names = firstOption < 0 ? args : args[..firstOption];
string[] rest = firstOption < 0 ? [] : args[firstOption..];
var options = new BenchmarkOptions(rest.Contains("--quick"), rest);

if (names is ["list"])
{
    foreach (IBenchmark b in all) Console.WriteLine($"{b.Name,-16} {b.Description}");
    return 0;
}

var unknown = names.Where(n => all.All(b => b.Name != n)).ToArray();
if (unknown.Length > 0)
{
    Console.Error.WriteLine($"Unknown benchmark(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", all.Select(b => b.Name))}.");
    return 2;
}

foreach (IBenchmark benchmark in names.Length == 0 ? all : all.Where(b => names.Contains(b.Name)))
{
    Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
    benchmark.Run(options);
    Console.WriteLine();
}
return 0;
