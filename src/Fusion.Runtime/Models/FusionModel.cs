using Fusion.Runtime.Data;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Models;

/// <summary>
/// Base of every generated model (docs/codegen.md). A generated class adds its typed
/// <c>Batch</c>, <c>Output</c>, <c>Forward(Batch)</c> and <c>Loss(Output, Batch)</c>, and
/// implements this untyped bridge, used by the trainer and the CLI, by converting to and from them.
/// </summary>
public abstract class FusionModel : Module
{
    private AdversarialScheme? adversarial;
    private bool adversarialFound;

    public abstract ModelDescriptor Descriptor { get; }

    /// <summary>
    /// The adversarial training scheme of the model (GAN-Fusion's discriminators), or null for a
    /// model trained by its loss alone. By default it is found among the model's modules (every
    /// <see cref="IAdversarialOperator"/>), once; a model may override it.
    /// </summary>
    public virtual AdversarialScheme? Adversarial
    {
        get
        {
            if (!adversarialFound)
            {
                adversarial = AdversarialScheme.Find(this);
                adversarialFound = true;
            }

            return adversarial;
        }
    }

    /// <summary>The forward pass on a batch from a <see cref="DataLoader"/>.</summary>
    public abstract FusionOutputs ForwardColumns(DataBatch batch);

    /// <summary>Every loss term of the spec for <paramref name="outputs"/> of <see cref="ForwardColumns"/> on <paramref name="batch"/>.</summary>
    public abstract LossBreakdown LossColumns(FusionOutputs outputs, DataBatch batch);

    /// <summary>A target the loss needs; throws when the batch does not carry it.</summary>
    protected static T RequireTarget<T>(T? target, string name)
        where T : class =>
        target ?? throw new BatchShapeException(name, $"the batch has no target '{name}', which a loss of the model needs");

    /// <summary>Class indices <c>[B]</c> as one-hot rows <c>[B, classes]</c> (for a BCE loss on a two-class classifier).</summary>
    protected static Tensor OneHot(LongTensor classes, int count)
    {
        var ids = classes.AsSpan();
        var values = new float[ids.Length * count];
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0 || ids[i] >= count) throw new ArgumentOutOfRangeException(nameof(classes), ids[i], $"Class of sample {i} is outside [0, {count}).");
            values[i * count + ids[i]] = 1f;
        }

        return Tensor.FromArray(values, ids.Length, count);
    }
}
