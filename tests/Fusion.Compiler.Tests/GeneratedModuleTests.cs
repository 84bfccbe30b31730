using System.Reflection;
using Fusion.Compiler.Emit;
using Fusion.Runtime;
using Fusion.Runtime.Models;
using Fusion.Spec;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Tests;

/// <summary>
/// Every model the generator supports: the generated source compiles cleanly, the model constructs
/// with the state dict of <c>ParameterLayout</c>, a forward pass gives the declared shapes, and one
/// loss Backward reaches every parameter.
/// </summary>
public class GeneratedModuleTests
{
    [Fact]
    public void Every_spec_in_specs_emits_without_diagnostics()
    {
        foreach (var file in SpecFiles.Names().Select(n => (string)n[0]))
        {
            var result = ModuleEmitter.Emit(SpecFiles.Load(file));
            Assert.True(result.Source is not null && result.Diagnostics.IsEmpty, file + ": " + string.Join("\n", result.Diagnostics));
        }
    }

    [Theory]
    [MemberData(nameof(TestModels.Emitting), MemberType = typeof(TestModels))]
    public void Generated_source_compiles_without_errors_or_warnings(string model)
    {
        var compiled = GeneratedCompilation.Of(model);
        Assert.True(compiled.Diagnostics.IsEmpty, string.Join("\n", compiled.Diagnostics));
        Assert.NotNull(compiled.Assembly);
    }

    [Theory]
    [MemberData(nameof(TestModels.Emitting), MemberType = typeof(TestModels))]
    public void State_dict_keys_and_shapes_are_those_of_the_parameter_layout(string model)
    {
        var compiled = GeneratedCompilation.Of(model);
        var instance = Construct(compiled, seed: 1);
        var trainable = ParameterLayout.Trainable(compiled.Spec);
        var buffers = ParameterLayout.Buffers(compiled.Spec);
        Assert.Equal(Describe(trainable), instance.NamedParameters().Select(p => $"{p.Name} {Format(p.Parameter)}").ToList());
        Assert.Equal(Describe(buffers), instance.NamedBuffers().Select(b => $"{b.Name} {Format(b.Buffer)}").ToList());
        var keys = instance.StateDict().Keys.ToList();
        Assert.Equal(trainable.Concat(buffers).Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal), keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestModels.Emitting), MemberType = typeof(TestModels))]
    public void Forward_gives_the_declared_shapes_and_the_loss_reaches_every_parameter(string model)
    {
        const int batchSize = 7;                      // odd: an L1 gradient (a mean of signs) cannot cancel to zero
        var compiled = GeneratedCompilation.Of(model);
        var spec = compiled.Spec;
        var instance = Construct(compiled, seed: 2);
        using var loader = RandomBatch.Loader(spec, batchSize, seed: 3);
        var batch = loader.Epoch().First();

        var outputs = instance.ForwardColumns(batch);
        Assert.Equal(spec.Heads.Select(h => h.Name), outputs.Heads.Keys);
        foreach (var head in spec.Heads)
        {
            Assert.Equal(new[] { batchSize }.Concat(head.OutputShape.Dims), outputs.Heads[head.Name].Shape.ToArray());
        }

        foreach (var (key, value) in outputs.Representations)
        {
            if (Declared(spec, key) is { } shape)
            {
                var expected = new[] { batchSize }.Concat(shape.Dims.Select(d => d == Shape.Open ? RandomBatch.OpenLength : d));
                Assert.Equal(expected, value.Shape.ToArray());
            }
        }

        var loss = instance.LossColumns(outputs, batch);
        Assert.Equal(spec.Losses.Select(l => l.Name), loss.Terms.Select(t => t.Name));
        double expectedTotal = loss.Terms.Sum(t => t.Weight * t.Value.Item());
        Assert.True(float.IsFinite(loss.Total.Item()));
        Assert.Equal(expectedTotal, loss.Total.Item(), 3);

        loss.Total.Backward();
        if (instance.Adversarial is { } scheme)
        {
            // the adversaries (GAN-Fusion's discriminators and autofusions) learn from their own steps only
            for (int step = 0; step < scheme.StepCount; step++)
            {
                scheme.Step(step, outputs)?.Total.Backward();
            }
        }

        foreach (var (name, parameter) in instance.NamedParameters())
        {
            Assert.True(parameter.Grad is not null, $"{name} received no gradient");
            var grad = parameter.Grad!.ToArray();
            Assert.All(grad, g => Assert.True(float.IsFinite(g), $"{name} has a non-finite gradient"));
            Assert.True(grad.Any(g => g != 0f), $"{name} received an all-zero gradient");
        }
    }

    [Theory]
    [MemberData(nameof(TestModels.Emitting), MemberType = typeof(TestModels))]
    public void Spec_property_is_the_ir_without_locations_path_or_hash(string model)
    {
        var compiled = GeneratedCompilation.Of(model);
        var type = ModelType(compiled);
        var spec = (FusionSpec)type.GetProperty("Spec", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(SpecStripper.Strip(compiled.Spec), spec);
        Assert.Equal(string.Empty, spec.SourcePath);
    }

    [Theory]
    [MemberData(nameof(TestModels.Emitting), MemberType = typeof(TestModels))]
    public void Descriptor_carries_modalities_targets_heads_and_settings(string model)
    {
        var compiled = GeneratedCompilation.Of(model);
        var spec = compiled.Spec;
        var descriptor = Construct(compiled, seed: 0).Descriptor;
        Assert.Equal(spec.Model, descriptor.Name);
        Assert.Equal(spec.Modalities.Select(m => (m.Name, m.Optional)), descriptor.Modalities.Select(m => (m.Name, m.Optional)));
        Assert.Equal(spec.Heads.Where(h => h.Target is not null).Select(h => h.Target).Distinct(), descriptor.Targets.Select(t => t.Name));
        Assert.Equal(spec.Heads.Select(h => (h.Name, h.Type.ToString())), descriptor.Heads.Select(h => (h.Name, h.Kind.ToString())));
        Assert.Equal(spec.Training.Epochs, descriptor.Training.Epochs);
        Assert.Equal(spec.Training.Optimizer.Lr, descriptor.Training.Optimizer.Lr);
        foreach (var node in spec.Nodes)
        {
            Assert.Equal(node.Group, descriptor.GroupOf(node.Name + ".weight"));
        }

        using var loader = RandomBatch.Loader(spec, 2, seed: 1);
        descriptor.Schema.Validate(loader.Data, "random");
    }

    [Fact]
    public void A_batch_of_the_wrong_shape_names_the_modality_and_both_shapes()
    {
        var compiled = GeneratedCompilation.Of("late.yaml");
        var spec = compiled.Spec;
        var modality = spec.Modalities[1];
        var wrong = spec with
        {
            Modalities = spec.Modalities.Select(m => m == modality ? m with { Shape = Shape.Of(m.Shape.Width + 3) } : m).ToEquatableArray(),
        };
        using var loader = RandomBatch.Loader(wrong, 4, seed: 5);
        var error = Assert.Throws<BatchShapeException>(() => Construct(compiled, seed: 0).ForwardColumns(loader.Epoch().First()));
        Assert.Equal(modality.Name, error.Modality);
        Assert.Contains($"batch.{Identifiers(modality.Name)} has shape [4, {modality.Shape.Width + 3}]", error.Message);
        Assert.Contains($"modality '{modality.Name}' is [{modality.Shape.Width}] per sample", error.Message);
    }

    private static string Identifiers(string name) => string.Concat(name.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));

    private static Shape? Declared(FusionSpec spec, string key)
    {
        var parts = key.Split('.');
        var node = spec.FindNode(parts[0]);
        if (node is null || key.Contains(':'))
        {
            return null;
        }

        return parts.Length == 1 ? node.Output : node.FindMember(parts[1])!.Shape;
    }

    private static List<string> Describe(IEnumerable<Fusion.Spec.ParameterInfo> layout) => layout.Select(p => $"{p.Key} {p.Shape}").ToList();

    private static string Format(Tensor t) => "[" + string.Join(", ", t.Shape.ToArray()) + "]";

    private static Type ModelType(GeneratedCompilation.Compiled compiled) =>
        compiled.Assembly!.GetTypes().Single(t => t.IsSubclassOf(typeof(FusionModel)));

    private static FusionModel Construct(GeneratedCompilation.Compiled compiled, ulong seed)
    {
        Assert.NotNull(compiled.Assembly);
        return (FusionModel)Activator.CreateInstance(ModelType(compiled), new RandomSource(seed))!;
    }
}
