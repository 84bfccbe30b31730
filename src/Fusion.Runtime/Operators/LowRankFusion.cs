using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Low-rank Multimodal Fusion (Liu et al. 2018; methods.md sections 0 and 2), the spec's
/// <c>lowrank</c> op: factors <c>W_m = factors.&lt;input&gt; [R, d_m + 1, D]</c>,
/// <c>h = sum_r w_r prod_m ([1; x_m] W_m^(r)) + b</c> with <c>fusion_weights w [R]</c> and
/// <c>fusion_bias b [D]</c>. Initialisation as the reference: Xavier-normal factors (fans of
/// <c>[R, d_m + 1, D]</c>) and weights (fans of <c>[1, R]</c>), <c>b = 0</c>.
/// </summary>
public sealed class LowRankFusion : Module
{
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly ParameterDict factors;
    private readonly int rank;
    private readonly int outFeatures;

    public LowRankFusion(IReadOnlyList<InputWidth> inputs, int rank, int outFeatures, RandomSource generator)
    {
        if (inputs.Count == 0) throw new ArgumentException("LowRankFusion needs at least one input.");
        if (rank < 1 || outFeatures < 1) throw new ArgumentOutOfRangeException(nameof(rank), $"LowRankFusion(rank {rank}, out {outFeatures}): sizes must be positive.");
        this.inputs = inputs.ToArray();
        this.rank = rank;
        this.outFeatures = outFeatures;
        factors = RegisterModule("factors", new ParameterDict());
        foreach (var input in inputs)
            factors.Add(input.Name, Init.XavierNormal(Tensor.Empty(rank, input.Width + 1, outFeatures), generator));
        FusionWeights = RegisterParameter("fusion_weights", Tensor.Empty(rank));
        Init.XavierNormal(FusionWeights.View(1, rank), generator);
        FusionBias = RegisterParameter("fusion_bias", Tensor.Zeros(outFeatures));
    }

    public Tensor Factor(int input) => factors[input];

    public Tensor FusionWeights { get; }

    public Tensor FusionBias { get; }

    public Tensor Forward(IReadOnlyList<Tensor> xs)
    {
        int batch = OperatorChecks.Vectors(nameof(LowRankFusion), xs, inputs);
        Tensor? product = null;
        for (int m = 0; m < xs.Count; m++)
        {
            var augmented = Tensor.Concat(-1, Tensor.Ones(batch, 1), xs[m]);          // [B, d + 1]
            var projected = Tensor.MatMul(augmented, factors[m]);                      // [R, B, D]
            product = product is null ? projected : product * projected;
        }

        var fused = Tensor.MatMul(FusionWeights.Reshape(1, rank), product!.Reshape(rank, batch * outFeatures));
        return fused.Reshape(batch, outFeatures) + FusionBias;
    }
}
