using Fusion.Compiler.Emit;
using Fusion.Spec;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Tests;

/// <summary>The models the generator tests run on: every spec of specs/ that emits, and the coverage specs.</summary>
internal static class TestModels
{
    private const string CoveragePrefix = "coverage:";

    /// <summary>The files of specs/ that the generator supports today (the others use ops of a later step).</summary>
    public static readonly string[] EmittingSpecFiles =
    [
        "autofusion.yaml", "dcca.yaml", "early.yaml", "film.yaml", "gmu.yaml", "late.yaml", "lmf.yaml", "mcb.yaml",
        "modality-dropout.yaml", "sinkhorn.yaml", "tfn.yaml", "weighted.yaml",
    ];

    public static IEnumerable<object[]> Emitting() =>
        EmittingSpecFiles.Select(f => new object[] { f })
            .Concat(CoverageSpecs.All().Select(c => new object[] { CoveragePrefix + (string)c[0] }));

    public static IEnumerable<object[]> Unsupported() =>
        SpecFiles.Names().Where(n => !EmittingSpecFiles.Contains((string)n[0]));

    public static FusionSpec Load(string key)
    {
        if (!key.StartsWith(CoveragePrefix, StringComparison.Ordinal))
        {
            return SpecFiles.Load(key);
        }

        string name = key.Substring(CoveragePrefix.Length);
        string yaml = (string)CoverageSpecs.All().Single(c => (string)c[0] == name)[1];
        var result = SpecReader.Parse(yaml, name + ".yaml");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    /// <summary>True when the generator supports the op (this step's list, docs/codegen.md).</summary>
    public static bool IsSupportedOp(string op) => SupportedOps.Contains(op);

    private static readonly HashSet<string> SupportedOps = new(StringComparer.Ordinal)
    {
        "identity", "linear", "mlp", "projection", "embedding", "pool", "concat", "late", "weighted", "gmu",
        "dynamic_gate", "tensor", "lowrank", "mcb", "film", "modality_dropout", "autofusion", "gru", "lstm", "conv1d",
        "conv2d", "transformer",
    };

    public static EmitResult Emit(string key) => ModuleEmitter.Emit(Load(key));
}
