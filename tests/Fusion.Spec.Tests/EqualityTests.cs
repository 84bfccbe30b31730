using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;
using Fusion.Spec.Validation;

namespace Fusion.Spec.Tests;

/// <summary>The IR compares structurally, so an incremental pipeline can cache it.</summary>
public class EqualityTests
{
    private const string Tfn = """
        model: Tfn
        modalities:
          text:  { shape: [300] }
          audio: { shape: [50, 74] }
        encoders:
          text_h:  { op: mlp, input: text, hidden: [128], out: 32 }
          audio_h: { op: gru, input: audio, hidden: 16 }
        fusion:
          tfn: { op: tensor, inputs: [text_h, audio_h] }
        heads:
          score: { type: regressor, input: tfn }
        losses:
          - { type: mse, head: score }
        training:
          optimizer: { type: adamw, lr: 1.0e-3, betas: [0.9, 0.98] }
          lr_groups: { encoders: 1.0e-4 }
          schedule: { type: plateau, patience: 5, factor: 0.8 }
          early_stopping: { patience: 5 }
        """;

    [Fact]
    public void ParsingTheSameTextTwiceGivesEqualSpecs()
    {
        var first = SpecText.Valid(Tfn);
        var second = SpecText.Valid(Tfn);

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void ADifferentAttributeGivesUnequalSpecs()
    {
        var first = SpecText.Valid(Tfn);
        var second = SpecText.Valid(Tfn.Replace("hidden: 16", "hidden: 17"));

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.FindNode("audio_h"), second.FindNode("audio_h"));
        Assert.Equal(first.FindNode("text_h"), second.FindNode("text_h"));
    }

    [Fact]
    public void EquatableArrayComparesElementWise()
    {
        var a = EquatableArray.Create(1, 2, 3);
        var b = new[] { 1, 2, 3 }.ToEquatableArray();

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, EquatableArray.Create(1, 2));
        Assert.Equal(default, EquatableArray<int>.Empty);
        Assert.Equal(EquatableArray<int>.Empty, EquatableArray.Create<int>());
    }

    [Fact]
    public void ShapesPrintOpenLengthsAsN()
    {
        Assert.Equal("[N, 74]", Shape.Of(Shape.Open, 74).ToString());
        Assert.Equal("[]", Shape.Scalar.ToString());
        Assert.Equal(1, Shape.Scalar.ElementCount);
        Assert.Equal(24, Shape.Of(2, 3, 4).ElementCount);
        Assert.Throws<InvalidOperationException>(() => Shape.Of(Shape.Open, 74).ElementCount);
    }

    [Fact]
    public void TheHashAndPathAreRecorded()
    {
        var spec = SpecText.Valid(Tfn);

        Assert.Equal(SpecReader.HashOf(Tfn), spec.SourceHash);
        Assert.Equal(64, spec.SourceHash.Length);
        Assert.Equal(SpecText.Path, spec.SourcePath);
        Assert.Equal(FusionSpec.DefaultNamespace, spec.Namespace);
    }

    [Fact]
    public void ADocumentBuiltWithoutYamlGivesTheSameSpec()
    {
        // What a non-YAML front end (C# attributes) does: build the untyped document and bind it.
        static SourceLocation At(int line, int column) => new(SpecText.Path, line, column);
        static DocScalar S(string text, int line = 1, int column = 1) => new(text, false, At(line, column));
        static DocEntry E(string key, DocNode value) => new(S(key), value);
        static DocMap M(params DocEntry[] entries) => new(entries, At(1, 1));
        static DocList L(params DocNode[] items) => new(items, At(1, 1));

        var root = M(
            E("model", S("Small")),
            E("modalities", M(E("a", M(E("shape", L(S("10"))))), E("b", M(E("shape", L(S("6"))))))),
            E("fusion", M(E("cat", M(E("op", S("concat")), E("inputs", L(S("a"), S("b"))))))),
            E("heads", M(E("score", M(E("type", S("regressor")), E("input", S("cat")))))),
            E("losses", L(M(E("type", S("mse")), E("head", S("score"))))));

        var fromDocument = SpecBinder.Bind(root, SpecText.Path, "hash");
        var fromYaml = SpecText.Parse("""
            model: Small
            modalities: { a: { shape: [10] }, b: { shape: [6] } }
            fusion: { cat: { op: concat, inputs: [a, b] } }
            heads: { score: { type: regressor, input: cat } }
            losses: [ { type: mse, head: score } ]
            """);

        Assert.Empty(fromDocument.Diagnostics);
        Assert.Equal("[16]", fromDocument.Spec!.FindNode("cat")!.Output!.ToString());
        Assert.Equal(
            ParameterLayout.Trainable(fromYaml.Spec!).Select(p => p.ToString()),
            ParameterLayout.Trainable(fromDocument.Spec).Select(p => p.ToString()));
    }
}
