using Fusion.Generators.Emit;
using Fusion.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Fusion.Generators;

/// <summary>
/// Generates a typed fusion module for every <c>[FusionModel]</c> partial class and every
/// <c>*.fusion.yaml</c> additional file. Both front ends build the same spec document and go through
/// the same binder and emitter, so a model declared either way gives the same code below the header.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FusionGenerator : IIncrementalGenerator
{
    public const string FusionModelAttributeName = "Fusion.Annotations.FusionModelAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var projectDir = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(SourcePaths.ProjectDirOption, out var dir) ? dir : null);

        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(FusionModelAttributeName, static (node, _) => node is ClassDeclarationSyntax, ModelDeclarationParser.Parse)
            .WithTrackingName(TrackingNames.ModelDeclaration)
            .Combine(projectDir)
            .Select(static (pair, cancellationToken) => AttributeModelGenerator.Generate(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.ModelGeneration);
        context.RegisterSourceOutput(models, GeneratedSourceWriter.Write);

        var yamlModels = context.AdditionalTextsProvider
            .Where(YamlSpecFileParser.IsSpec)
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => YamlSpecFileParser.Parse(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.YamlFile)
            .Select(YamlModelGenerator.Generate)
            .WithTrackingName(TrackingNames.YamlGeneration);
        context.RegisterSourceOutput(yamlModels, GeneratedSourceWriter.Write);
    }
}
