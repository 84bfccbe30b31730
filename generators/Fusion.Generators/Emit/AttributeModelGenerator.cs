using System.Linq;
using System.Threading;
using Fusion.Generators.Documents;
using Fusion.Generators.Model;
using Fusion.Spec;
using Fusion.Spec.Diagnostics;
using Fusion.Spec.Validation;

namespace Fusion.Generators.Emit;

/// <summary>
/// A <c>[FusionModel]</c> declaration -> document -> <see cref="SpecBinder"/> -> emitter. The
/// recorded source hash is that of the document's flow-YAML text (<see cref="DocumentText"/>).
/// </summary>
internal static class AttributeModelGenerator
{
    public static GenerationResult Generate(ModelDeclaration model, string? projectDir, CancellationToken cancellationToken)
    {
        var hintName = ModuleGeneration.HintName(model.Namespace, model.ClassName);
        if (model.Diagnostics.Count > 0)
        {
            // A class the generator cannot complete: say why, and generate nothing that would add errors to it.
            return new GenerationResult(hintName, null, model.Diagnostics);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (root, locations) = AttributeDocumentBuilder.Build(model);
        var bound = SpecBinder.Bind(root, model.FilePath, SpecReader.HashOf(DocumentText.Render(root)));
        if (bound.Spec is { } spec)
        {
            hintName = ModuleGeneration.HintName(spec.Namespace, spec.Model);
        }

        return ModuleGeneration.Run(hintName, SourcePaths.Display(model.FilePath, projectDir), Enumerable.Empty<SpecDiagnostic>(), bound, locations.Find);
    }
}
