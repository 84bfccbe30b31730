using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops;

/// <summary>What an op sees while its node is inferred, and where it reports problems.</summary>
internal sealed class OpContext
{
    private readonly DiagnosticBag diagnostics;

    public OpContext(
        string nodeName,
        string op,
        SourceLocation location,
        IReadOnlyList<InputValue> inputs,
        AttributeSet attributes,
        ContextDraft? context,
        DiagnosticBag diagnostics)
    {
        NodeName = nodeName;
        Op = op;
        Location = location;
        Inputs = inputs;
        Attributes = attributes;
        Context = context;
        this.diagnostics = diagnostics;
    }

    public string NodeName { get; }

    public string Op { get; }

    public SourceLocation Location { get; }

    public IReadOnlyList<InputValue> Inputs { get; }

    public AttributeSet Attributes { get; }

    /// <summary>The spec's <c>context</c> section, when it has one (CBMF).</summary>
    public ContextDraft? Context { get; }

    /// <summary>True once an error has been reported for this node.</summary>
    public bool Failed { get; private set; }

    /// <summary>"node 'audio_h' (gru)", for messages.</summary>
    public string Consumer => $"node '{NodeName}' ({Op})";

    public void Report(SpecDiagnostic diagnostic)
    {
        diagnostics.Add(diagnostic);
        Failed |= diagnostic.IsError;
    }

    public void ShapeError(InputValue input, string expectation) =>
        Report(DiagnosticDescriptors.ShapeExpectation(input.Reference.Location, input.Subject, input.Shape, Consumer, expectation));

    public void Precondition(SourceLocation at, string message) =>
        Report(DiagnosticDescriptors.PreconditionFailed(at, message));

    public void OutOfRange(string attribute, string value, string range) =>
        Report(DiagnosticDescriptors.NotInRange(Attributes.LocationOf(attribute), attribute, value, range));

    public bool RequireKind(InputValue input, ModalityKind kind)
    {
        if (input.Value.Kind == kind)
        {
            return true;
        }

        ShapeError(input, Expectation(kind));
        return false;
    }

    public bool RequireKinds(InputValue input, ModalityKind a, ModalityKind b)
    {
        if (input.Value.Kind == a || input.Value.Kind == b)
        {
            return true;
        }

        ShapeError(input, Expectation(a) + " or " + Expectation(b));
        return false;
    }

    /// <summary>Every input must be a vector; reports each one that is not.</summary>
    public bool RequireAllVectors()
    {
        bool ok = true;
        foreach (var input in Inputs)
        {
            ok &= RequireKind(input, ModalityKind.Vector);
        }

        return ok;
    }

    public static string Expectation(ModalityKind kind) => kind switch
    {
        ModalityKind.Vector => "a vector [d]",
        ModalityKind.Sequence => "a sequence [N, d]",
        ModalityKind.Image => "an image [C, H, W]",
        _ => "a token sequence [N]",
    };
}
