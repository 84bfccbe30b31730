using Fusion.Compiler.Emit;
using Fusion.Spec;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Tests;

/// <summary>The models the generator tests run on: every spec of specs/ and the coverage specs.</summary>
internal static class TestModels
{
    private const string CoveragePrefix = "coverage:";

    /// <summary>Every file of specs/ and every coverage spec.</summary>
    public static IEnumerable<object[]> Emitting() =>
        SpecFiles.Names().Concat(CoverageSpecs.All().Select(c => new object[] { CoveragePrefix + (string)c[0] }));

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

    public static EmitResult Emit(string key) => ModuleEmitter.Emit(Load(key));
}
