using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit;

/// <summary>
/// What <see cref="ModelParser"/> reads out of a checked spec for the writer: every identifier,
/// module construction and expression of the generated module, decided once, in IR order.
/// </summary>
internal sealed class ModelPlan
{
    public ModelPlan(FusionSpec spec)
    {
        Spec = spec;
    }

    public FusionSpec Spec { get; }

    public List<SpecDiagnostic> Diagnostics { get; } = new();

    public List<ModalityPlan> Modalities { get; } = new();

    public List<TargetPlan> Targets { get; } = new();

    /// <summary>Registered modules (nodes with a module, heads, the losses container), in state-dict order.</summary>
    public List<ModulePlan> Modules { get; } = new();

    /// <summary>One statement per node, then one per head, in IR order.</summary>
    public List<StatementPlan> Forward { get; } = new();

    public List<OutputPlan> Outputs { get; } = new();

    public List<StatementPlan> Losses { get; } = new();

    public List<(string Name, string Local, double Weight)> LossTerms { get; } = new();

    /// <summary>The learnable contrastive scales under <c>losses.&lt;name&gt;</c>: (loss name, construction).</summary>
    public List<(string Name, string Constructor)> Scales { get; } = new();

    public string ScalesField { get; set; } = "losses";
}

/// <summary>A modality: its <c>Batch</c> property (Tensor, or LongTensor for tokens) and, for sequences and tokens, its lengths property.</summary>
internal sealed class ModalityPlan
{
    public ModalityPlan(ModalitySpec spec, string property, string? lengthsProperty, string local)
    {
        Spec = spec;
        Property = property;
        LengthsProperty = lengthsProperty;
        Local = local;
    }

    public ModalitySpec Spec { get; }

    public string Property { get; }

    public string? LengthsProperty { get; }

    public string Local { get; }

    public bool IsTokens => Spec.Kind == ModalityKind.Tokens;
}

/// <summary>A target column: a class index (LongTensor) for classifiers, else floats.</summary>
internal sealed class TargetPlan
{
    public TargetPlan(string name, string property, HeadType headType, int width)
    {
        Name = name;
        Property = property;
        HeadType = headType;
        Width = width;
    }

    public string Name { get; }

    public string Property { get; }

    public HeadType HeadType { get; }

    public int Width { get; }

    public bool IsClassIndex => HeadType == HeadType.Classifier;
}

/// <summary>A module field: its identifier, its type, the key it is registered under and its construction.</summary>
internal sealed class ModulePlan
{
    public ModulePlan(string field, string type, string key, string constructor)
    {
        Field = field;
        Type = type;
        Key = key;
        Constructor = constructor;
    }

    public string Field { get; }

    public string Type { get; }

    public string Key { get; }

    public string Constructor { get; }
}

/// <summary><c>var Local = Expression;</c></summary>
internal sealed class StatementPlan
{
    public StatementPlan(string local, string expression)
    {
        Local = local;
        Expression = expression;
    }

    public string Local { get; }

    public string Expression { get; }
}

/// <summary>What an <c>Output</c> property holds: a head's output, a representation, or computed sequence lengths.</summary>
internal enum OutputKind
{
    Head,
    Representation,
    Lengths,
}

/// <summary>One property of <c>Output</c>: a head, a representation or computed lengths, its <c>FusionOutputs</c> key and its value in <c>Forward</c>.</summary>
internal sealed class OutputPlan
{
    public OutputPlan(string key, string property, string expression, OutputKind kind)
    {
        Key = key;
        Property = property;
        Expression = expression;
        Kind = kind;
    }

    public string Key { get; }

    public string Property { get; }

    public string Expression { get; }

    public OutputKind Kind { get; }

    public bool IsHead => Kind == OutputKind.Head;
}
