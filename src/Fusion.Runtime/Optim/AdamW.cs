namespace Fusion.Runtime.Optim;

/// <summary>
/// torch.optim.AdamW: decoupled weight decay p -= lr wd p, then the Adam step without an L2 term.
/// PyTorch's default weight decay is 0.01.
/// </summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f)
        : this(OneGroup(parameters), learningRate, beta1, beta2, eps, weightDecay) { }

    public AdamW(IEnumerable<ParamGroup> groups, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay, decoupled: true) { }
}
