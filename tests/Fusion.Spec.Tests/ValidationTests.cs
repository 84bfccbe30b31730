using Fusion.Spec.Ir;

namespace Fusion.Spec.Tests;

/// <summary>Checks beyond the one-per-id fixtures: what is reported, where, and that checking goes on after an error.</summary>
public class ValidationTests
{
    private const string Vectors = """
        a: { shape: [10] }
        b: { shape: [6] }
        c: { shape: [4] }
        s: { shape: [50, 74] }
        """;

    private static List<string> Problems(string yaml) =>
        SpecText.Parse(yaml).Diagnostics.Select(d => $"{d.Id} {d.Location.Line}:{d.Location.Column} {d.Message}").ToList();

    private static string Single(string yaml, string id)
    {
        var result = SpecText.Parse(yaml);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(id, d.Id);
        return d.Message;
    }

    private static string InFusion(string nodes, string headInput = "a", string extra = "") =>
        SpecText.Around(Vectors, nodes, headInput, extra);

    [Fact]
    public void ACycleNamesItsPathAndSkipsWhatDependsOnIt()
    {
        var problems = Problems(InFusion("""
            x: { op: mlp, input: y, out: 4 }
            y: { op: mlp, input: x, out: 4 }
            z: { op: gru, input: x, hidden: 3 }
            """, "z"));

        // one cycle, nothing about z (it depends on the cycle), nothing about the head on z
        var d = Assert.Single(problems);
        Assert.StartsWith("FUS004", d);
        Assert.Contains("x -> y -> x", d.Replace("y -> x -> y", "x -> y -> x"));
    }

    [Fact]
    public void TwoSeparateCyclesAreBothReported()
    {
        var problems = Problems(InFusion("""
            p: { op: identity, input: p }
            q: { op: concat, inputs: [a, r] }
            r: { op: mlp, input: q, out: 4 }
            """));

        Assert.Equal(2, problems.Count(p => p.StartsWith("FUS004", StringComparison.Ordinal)));
        Assert.Contains(problems, p => p.Contains("p -> p"));
    }

    [Fact]
    public void AnErrorInOneNodeDoesNotHideErrorsInOthers()
    {
        var problems = Problems(InFusion("""
            x: { op: mlp, input: a, out: -3 }
            y: { op: gru, input: b, hidden: 4 }
            z: { op: tensor, inputs: [x, s] }
            w: { op: lowrank, inputs: [a, b], rank: 2 }
            """));

        Assert.Equal(["FUS009", "FUS007", "FUS008"], problems.Select(p => p[..6]));
    }

    [Fact]
    public void MultiOutputNodesMustBeReferencedByMember()
    {
        var whole = Single(InFusion("""
            md: { op: modality_dropout, inputs: [a, b] }
            cat: { op: concat, inputs: [md, c] }
            """), "FUS010");
        Assert.Contains("'md.a', 'md.b'", whole);

        var missing = Single(InFusion("""
            md: { op: modality_dropout, inputs: [a, b] }
            cat: { op: concat, inputs: [md.z, c] }
            """), "FUS003");
        Assert.Contains("no output member 'z'", missing);

        var notMulti = Single(InFusion("cat: { op: concat, inputs: [a.x, c] }"), "FUS003");
        Assert.Contains("single output", notMulti);
    }

    [Fact]
    public void InputsMayNotShareAName()
    {
        Assert.Contains("both be named 'a'", Single(InFusion("cat: { op: concat, inputs: [a, a] }"), "FUS010"));
    }

    [Fact]
    public void EncodersTakeSingleInputOps()
    {
        var yaml = """
            model: M
            modalities: { a: { shape: [4] }, b: { shape: [4] } }
            encoders:
              cat: { op: concat, inputs: [a, b] }
            heads: { h: { type: regressor, input: a } }
            losses: [ { type: mse, head: h } ]
            """;

        Assert.Contains("declare node 'cat' under 'fusion'", Single(yaml, "FUS010"));
    }

    [Fact]
    public void UnknownKeysSuggestTheClosestKnownKey()
    {
        Assert.Contains("did you mean 'modalities'?", Single("""
            model: M
            modalites: { a: { shape: [4] } }
            modalities: { a: { shape: [4] } }
            heads: { h: { type: regressor, input: a } }
            losses: [ { type: mse, head: h } ]
            """, "FUS001"));

        Assert.Contains("expected one of", Single(InFusion("x: { op: mlp, input: a, out: 4, zzzzzz: 1 }"), "FUS001"));
    }

    [Fact]
    public void EnumValuesListTheAcceptedValues()
    {
        Assert.Contains("'mean', 'weighted', 'vote'", Single(InFusion("x: { op: late, inputs: [a, b], out: 2, combine: average }"), "FUS002"));
        Assert.Contains("did you mean 'relu'?", Single(InFusion("x: { op: mlp, input: a, out: 2, activation: reluu }"), "FUS002"));
    }

    [Fact]
    public void NamesMustBeIdentifiersAndNotReserved()
    {
        Assert.Contains("not a valid node name", Single(InFusion("2x: { op: mlp, input: a, out: 4 }"), "FUS005"));
        Assert.Contains("reserved", Single(InFusion("context: { op: mlp, input: a, out: 4 }"), "FUS005"));
        Assert.Contains("not a valid model (C# class) name", Single(SpecText.Around(Vectors, "x: { op: identity, input: a }", "a").Replace("model: Probe", "model: my-model"), "FUS005"));
        Assert.Contains("not a valid model (C# class) name", Single(SpecText.Around(Vectors, "x: { op: identity, input: a }", "a").Replace("model: Probe", "model: class"), "FUS005"));
        Assert.Contains("not a valid namespace", Single(SpecText.Around(Vectors, "x: { op: identity, input: a }", "a").Replace("model: Probe", "model: Probe\nnamespace: My.static.Models"), "FUS005"));
    }

    [Fact]
    public void ShapeMismatchesSayWhatWasExpected()
    {
        Assert.Contains("modality 's' has shape [50, 74] but node 'x' (tensor) expects a vector [d]", Single(InFusion("x: { op: tensor, inputs: [a, s] }"), "FUS007"));
        Assert.Contains("width 10", Single(InFusion("x: { op: weighted, inputs: [a, b] }"), "FUS007"));
        Assert.Contains("head 'out'", Single(InFusion("x: { op: identity, input: s }", "x"), "FUS007"));
        Assert.Contains("a token sequence [N]", Single(InFusion("x: { op: embedding, input: a, dim: 4 }"), "FUS007"));
    }

    [Fact]
    public void AttentionWidthsMustSplitOverHeads()
    {
        Assert.Contains("does not split over 4 attention heads", Single(InFusion("x: { op: transformer, input: s }"), "FUS010"));
    }

    [Fact]
    public void OpPreconditions()
    {
        Assert.Contains("21 features, an odd number", Single(SpecText.Around(Vectors + "\nodd: { shape: [5] }", "x: { op: autofusion, inputs: [a, b, odd], latent: 4 }", "a"), "FUS010"));
        Assert.Contains("'latent' of node 'g' (ganfusion) is 5", Single(InFusion("g: { op: ganfusion, inputs: [a, b], latent: 5 }"), "FUS010"));
        Assert.Contains("needs a sequence", Single(InFusion("x: { op: pool, input: img, mode: last }").Replace("a: { shape: [10] }", "a: { shape: [10] }\n  img: { shape: [3, 8, 8] }"), "FUS010"));
        Assert.Contains("at least 2 inputs", Single(InFusion("x: { op: gmu, inputs: [a], out: 3 }"), "FUS010"));
    }

    [Fact]
    public void ConvolutionKernelsMustFitTheInput()
    {
        Assert.Contains("'kernel' is 60", Single(InFusion("x: { op: conv1d, input: s, channels: 4, kernel: 60 }"), "FUS009"));
    }

    [Fact]
    public void ModalityShapesAndKinds()
    {
        // the broken modality is reported once; the node and head that read it are skipped, not reported again
        Assert.Contains("only the length of a sequence or token modality (its first axis) may be open", Single(SpecText.Around("a: { shape: [10, -1] }", "x: { op: identity, input: a }", "x"), "FUS009"));
        Assert.Contains("needs the key 'vocab'", Single(SpecText.Around("a: { shape: [10] }\nt: { shape: [-1], kind: tokens }", "x: { op: identity, input: a }", "x"), "FUS008"));
        Assert.Contains("kind 'image' expects a shape of rank 3", Single(SpecText.Around("a: { shape: [10] }\ni: { shape: [3, 8], kind: image }", "x: { op: identity, input: a }", "x"), "FUS007"));
        Assert.Contains("'vocab' applies only to tokens", Single(SpecText.Around("a: { shape: [10], vocab: 5 }", "x: { op: identity, input: a }", "x"), "FUS010"));
    }

    [Fact]
    public void CbmfNeedsAContextOfItsWidth()
    {
        const string Nodes = """
            pa: { op: projection, input: a, out: 8 }
            pb: { op: projection, input: b, out: 8 }
            dfe: { op: cbmf, inputs: [pa, pb], heads: 2 }
            """;

        Assert.Contains("needs a 'context' section", Single(InFusion(Nodes), "FUS010"));
        Assert.Contains("context vectors have width 16", Single(InFusion(Nodes, "a", "context: { out: 16 }"), "FUS007"));
        Assert.Contains("'zz' is not a modality with a context vector", Single(InFusion(Nodes.Replace("heads: 2", "heads: 2, contexts: [a, zz]"), "a", "context: { modalities: [a, b] }"), "FUS003"));
        Assert.Contains("'tanh' applies only to combine: additive_attention", Single(InFusion(Nodes.Replace("heads: 2", "heads: 2, tanh: false"), "a", "context: {}"), "FUS010"));
    }

    [Fact]
    public void DegenerateSettingsWarnButStillBuild()
    {
        var additive = SpecText.Parse(InFusion("""
            pa: { op: projection, input: a, out: 8 }
            pb: { op: projection, input: b, out: 8 }
            dfe: { op: cbmf, inputs: [pa, pb], heads: 2, combine: additive_attention, tanh: false }
            """, "a", "context: {}"));
        Assert.Contains("softmax cancels it", Assert.Single(additive.Diagnostics).Message);
        Assert.NotNull(additive.Spec);

        var contrastive = SpecText.Parse("""
            model: M
            modalities: { a: { shape: [4] }, b: { shape: [4] } }
            heads:
              za: { type: embedding, input: a, dim: 3 }
              zb: { type: embedding, input: b, dim: 3 }
            losses:
              - { type: contrastive, between: [za, zb] }
              - { type: cca, between: [za, zb] }
            training: { batch_size: 1 }
            """);
        Assert.Equal(["FUS100", "FUS100"], contrastive.Diagnostics.Select(d => d.Id));
        Assert.Contains("always 0", contrastive.Diagnostics[0].Message);
        Assert.Contains("fewer samples than dimensions", contrastive.Diagnostics[1].Message);

        var gcnWithEdges = SpecText.Parse(InFusion("g: { op: graph_gcn, inputs: [a, b, c], width: 4, edges: [[a, b]] }"));
        Assert.Empty(gcnWithEdges.Diagnostics);
    }

    [Fact]
    public void GraphEdgesNameInputs()
    {
        Assert.Contains("did you mean 'b'?", Single(InFusion("g: { op: graph_gat, inputs: [a, b, c], width: 4, edges: [[a, bb]] }"), "FUS003"));
        var notPairs = SpecText.Parse(InFusion("g: { op: graph_gat, inputs: [a, b, c], width: 4, edges: [a, b] }")).Diagnostics;
        Assert.Equal(["FUS006", "FUS006"], notPairs.Select(d => d.Id));
        Assert.All(notPairs, d => Assert.Contains("a list of pairs [a, b]", d.Message));
    }

    [Fact]
    public void ALossOnTheWrongKindOfHeadIsReportedEvenWhenTheHeadsInputIsBroken()
    {
        const string Yaml = """
            model: M
            modalities: { text: { shape: [300] } }
            encoders:
              h: { op: mlp, input: text, out: 8, activation: relu6 }
            heads:
              sentiment: { type: regressor, input: h }
            losses:
              - { type: cross_entropy, head: sentiment }

            """;

        var diagnostics = SpecText.Parse(Yaml).Diagnostics;
        Assert.Equal(["FUS002", "FUS011"], diagnostics.Select(d => d.Id));
        Assert.Equal((8, 34), (diagnostics[1].Location.Line, diagnostics[1].Location.Column));
        Assert.Contains("which is a regressor head; it needs a classifier head", diagnostics[1].Message);
    }

    [Fact]
    public void LossesCheckWhatTheyAreAttachedTo()
    {
        const string Heads = """
            model: M
            modalities: { a: { shape: [4] }, b: { shape: [6] } }
            fusion:
              m: { op: misa, inputs: [a, b], hidden: 4 }
              af: { op: autofusion, inputs: [a, b], latent: 2 }
            heads:
              cls: { type: classifier, input: a, classes: 3 }
              bin: { type: classifier, input: a, classes: 2 }
              za: { type: embedding, input: a, dim: 3 }
              zb: { type: embedding, input: b, dim: 4 }
            losses:
              - { type: cross_entropy, head: cls }

            """;

        Assert.Empty(SpecText.Parse(Heads + "  - { type: bce, head: bin }\n  - { type: difference, node: m }\n  - { type: reconstruction, node: af }\n  - { type: cmd, node: m }\n").Diagnostics);
        Assert.Contains("a classifier with 3 classes", Single(Heads + "  - { type: bce, head: cls }\n", "FUS011"));
        Assert.Contains("a autofusion node; it needs a misa node", Single(Heads + "  - { type: difference, node: af }\n", "FUS011"));
        Assert.Contains("width 3", Single(Heads + "  - { type: contrastive, between: [za, zb] }\n", "FUS007"));
        Assert.Contains("embedding heads or nodes", Single(Heads + "  - { type: sinkhorn, between: [cls, za] }\n", "FUS011"));
        Assert.Contains("exactly two", Single(Heads + "  - { type: cca, between: [za] }\n", "FUS010"));
        Assert.Contains("at most 3", Single(Heads + "  - { type: cca, between: [za, zb], top_k: 4 }\n", "FUS009"));
        Assert.Empty(SpecText.Parse(Heads + "  - { type: cca, between: [za, zb], top_k: 3 }\n").Diagnostics);
        Assert.Contains("did you mean 'cls'?", Single(Heads + "  - { type: mse, head: clss }\n", "FUS003"));
        Assert.Contains("already declared", Single(Heads + "  - { type: cross_entropy, head: bin }\n".Replace("bin }", "bin, name: cross_entropy }"), "FUS005"));
    }

    [Fact]
    public void LossNamesDefaultToTheTypeThenNumbered()
    {
        var spec = SpecText.Valid("""
            model: M
            modalities: { a: { shape: [4] } }
            heads:
              p: { type: regressor, input: a }
              q: { type: regressor, input: a }
            losses:
              - { type: mse, head: p }
              - { type: mse, head: q, weight: 0.5 }
            """);

        Assert.Equal(["mse", "mse_2"], spec.Losses.Select(l => l.Name));
        Assert.Equal([1.0, 0.5], spec.Losses.Select(l => l.Weight));
    }

    [Fact]
    public void TrainingSettingsAreReadWithDefaults()
    {
        var spec = SpecText.Valid(InFusion("x: { op: mlp, input: a, out: 4, group: slow }", "x", """
            training:
              optimizer: { type: sgd, lr: 0.1, momentum: 0.9, nesterov: true }
              lr_groups: { slow: 1.0e-4, heads: 1.0e-2 }
              schedule: { type: step, step_size: 3 }
              clip_grad_norm: 1.0
            """));

        var t = spec.Training;
        Assert.Equal(new OptimizerSpec(OptimizerType.Sgd, 0.1, 0, 0.9, 0.999, 0.9, true), t.Optimizer);
        Assert.Equal([new LearningRateGroup("slow", 1e-4), new LearningRateGroup("heads", 1e-2)], t.LrGroups);
        Assert.Equal(new ScheduleSpec(ScheduleType.Step, StepSize: 3, Gamma: 0.1), t.Schedule);
        Assert.Equal((10, 32, 0, 1.0), (t.Epochs, t.BatchSize, t.Seed, t.ClipGradNorm));
        Assert.Equal("slow", spec.FindNode("x")!.Group);
    }

    [Fact]
    public void TrainingProblems()
    {
        Assert.Contains("did you mean 'fusion'?", Single(InFusion("x: { op: mlp, input: a, out: 4 }", "x", "training: { lr_groups: { fusin: 0.1 } }"), "FUS001"));
        Assert.Contains("did you mean 'patience'?", Single(InFusion("x: { op: mlp, input: a, out: 4 }", "x", "training: { schedule: { type: plateau, patiense: 3 } }"), "FUS001"));
        Assert.Contains("needs the key 'step_size'", Single(InFusion("x: { op: mlp, input: a, out: 4 }", "x", "training: { schedule: { type: step } }"), "FUS008"));
        Assert.Contains("accepted values are 'sgd', 'adam', 'adamw'", Single(InFusion("x: { op: mlp, input: a, out: 4 }", "x", "training: { optimizer: { type: rmsprop } }"), "FUS002"));
    }

    [Fact]
    public void DataSources()
    {
        var csv = SpecText.Valid(SpecText.Around("a: { shape: [3] }\nb: { shape: [2], optional: true }", "x: { op: identity, input: a }", "x", """
            data:
              type: csv
              path: data.csv
              columns: { a: "f0:f2", out: label }
            """));
        Assert.Equal(new DataSpec.Csv("data.csv", EquatableArray.Create(new CsvColumn("a", "f0", "f2"), new CsvColumn("out", "label", null))), csv.Data);

        Assert.Contains("needs the key 'out'", Single(SpecText.Around("a: { shape: [3] }", "x: { op: identity, input: a }", "x", "data: { type: csv, path: d.csv, columns: { a: f } }"), "FUS008"));
        Assert.Contains("sum to 1", Single(SpecText.Around("a: { shape: [3] }", "x: { op: identity, input: a }", "x", "data: { split: [0.5, 0.4, 0.4] }"), "FUS009"));
        Assert.Equal(DataSpec.Synthetic.Default, SpecText.Valid(SpecText.Around("a: { shape: [3] }", "x: { op: identity, input: a }", "x")).Data);
    }

    [Fact]
    public void AnUnknownHeadTypeStillHasItsInputChecked()
    {
        var problems = Problems("""
            model: M
            modalities: { a: { shape: [4] } }
            heads:
              h: { type: clasifier, input: aa }
            losses: [ { type: mse, head: h } ]
            """);

        Assert.Equal(["FUS002 4:14", "FUS003 4:32"], problems.Select(p => p[..11]));
        Assert.Contains("did you mean 'classifier'?", problems[0]);
    }

    [Fact]
    public void EmptySectionsSayWhatTheyNeed()
    {
        var problems = Problems("""
            model: M
            modalities: { a: { shape: [4] } }
            heads: {}
            losses: []
            """);

        Assert.Equal(["FUS008 3:8 'heads' is empty", "FUS008 4:9 'losses' is empty"], problems.Select(p => p[..(p.IndexOf(" is empty", StringComparison.Ordinal) + 9)]));
    }

    [Fact]
    public void HeadsThatShareATargetMustAgreeOnItsShape()
    {
        const string Spec = """
            model: M
            modalities: { a: { shape: [4] } }
            heads:
              p: { type: regressor, input: a, outputs: 2, target: y }
              q: { type: regressor, input: a, outputs: OUT, target: y }
            losses:
              - { type: mse, head: p }
              - { type: mse, head: q }
            """;

        Assert.Empty(SpecText.Parse(Spec.Replace("OUT", "2")).Diagnostics);
        var d = SpecText.Parse(Spec.Replace("OUT", "3")).Diagnostics.Single();
        Assert.Equal(("FUS007", 5), (d.Id, d.Location.Line));
        Assert.Contains("target 'y' as [3] floats but head 'p' reads it as [2] floats", d.Message);
        Assert.Contains("also the name of a modality", Single(Spec.Replace("OUT", "2").Replace("target: y }\n  q", "target: a }\n  q"), "FUS005"));
    }

    [Fact]
    public void EmptyOptionalSectionsMeanAllDefaults()
    {
        var spec = SpecText.Valid(InFusion("x: { op: mlp, input: a, out: 4 }", "x", "training:\ndata:\nencoders:"));

        Assert.Equal(Ir.TrainingSpec.Default, spec.Training);
        Assert.Equal(Ir.DataSpec.Synthetic.Default, spec.Data);
    }
}
