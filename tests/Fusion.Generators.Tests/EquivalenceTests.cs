using Fusion.Compiler.Emit;
using Fusion.Generators.Documents;
using Fusion.Generators.Parsing;
using Fusion.Spec;
using Fusion.Spec.Ir;
using Fusion.Spec.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Fusion.Generators.Tests;

/// <summary>
/// A model declared with attributes and the same model in YAML give an equal IR (apart from
/// locations, path and hash) and identical generated code apart from the header.
/// </summary>
public sealed class EquivalenceTests
{
    [Fact]
    public void Attribute_and_yaml_declarations_generate_identical_code_below_the_header()
    {
        const string hintName = "AttributesModel.SentimentModel.g.cs";
        var attributes = GeneratorHarness.Run([ExampleSources.AttributesModel()]);
        var yaml = GeneratorHarness.Run([], [new YamlInput("models/sentiment.fusion.yaml", EquivalenceModels.SentimentYaml)]);

        Assert.Empty(attributes.GeneratorDiagnostics);
        Assert.Empty(yaml.GeneratorDiagnostics);
        string fromAttributes = attributes.SourceBelowHeader(hintName);
        string fromYaml = yaml.SourceBelowHeader(hintName);
        Assert.True(fromAttributes == fromYaml, Snapshot.Diff(fromAttributes, fromYaml));
        Assert.NotEqual(attributes.Source(hintName), yaml.Source(hintName));
    }

    [Theory]
    [InlineData(EquivalenceModels.RichAttributes, EquivalenceModels.RichYaml)]
    [InlineData(EquivalenceModels.SmallAttributes, EquivalenceModels.SmallYaml)]
    public void Attribute_and_yaml_declarations_bind_to_equal_IR(string attributes, string yaml)
    {
        var fromYaml = SpecReader.Parse(yaml, "model.fusion.yaml");
        Assert.True(fromYaml.Diagnostics.IsEmpty, string.Join("\n", fromYaml.Diagnostics));

        var fromAttributes = BindAttributes(attributes);

        Assert.Equal(SpecStripper.Strip(fromYaml.Spec!), fromAttributes);
    }

    [Fact]
    public void Attribute_documents_of_equal_declarations_hash_equally_and_of_different_ones_differently()
    {
        string Hash(string source) => SpecReader.HashOf(DocumentText.Render(AttributeDocumentBuilder.Build(Declare(source)).Root));

        Assert.Equal(Hash(EquivalenceModels.SmallAttributes), Hash(EquivalenceModels.SmallAttributes.Replace("    [Modality", "[Modality")));
        Assert.NotEqual(Hash(EquivalenceModels.SmallAttributes), Hash(EquivalenceModels.SmallAttributes.Replace("Out = 3", "Out = 4")));
    }

    private static FusionSpec BindAttributes(string source)
    {
        var declaration = Declare(source);
        var (root, _) = AttributeDocumentBuilder.Build(declaration);
        var bound = SpecBinder.Bind(root, "Model.cs", string.Empty);
        Assert.True(bound.Diagnostics.IsEmpty, string.Join("\n", bound.Diagnostics));
        return SpecStripper.Strip(bound.Spec!);
    }

    private static Model.ModelDeclaration Declare(string source)
    {
        var compilation = GeneratorHarness.Compilation([("Model.cs", source)]);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();
        var syntax = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single();
        var symbol = (INamedTypeSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(syntax)!;
        var declaration = ModelDeclarationParser.Parse(symbol, syntax, CancellationToken.None);
        Assert.Empty(declaration.Diagnostics);
        return declaration;
    }
}
