using Fusion.Runtime.Losses;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// MISA's shared/private fusion (Hazarika et al. 2020; methods.md sections 0 and 4), the spec's
/// <c>misa</c> op. For every input m: <c>u_m = LayerNorm(act(Linear(x_m)))</c> (<c>project.&lt;input&gt;</c>,
/// <c>project_norm.&lt;input&gt;</c>), private <c>p_m = sigmoid(W_m^p u_m)</c> (<c>private.&lt;input&gt;</c>,
/// bare), shared <c>s_m = sigmoid(W^s u_m)</c> (<c>shared</c>, bare, one matrix for every m) and
/// reconstruction <c>u_hat_m = W_m^r (p_m + s_m)</c> (<c>reconstruct.&lt;input&gt;</c>, bare). The 2M
/// vectors, ordered <c>p_1..p_M, s_1..s_M</c>, go through a one-layer post-norm transformer encoder
/// (<c>encoder</c>; d = ff = hidden) and are concatenated in that order: <c>[B, 2*M*hidden]</c>.
/// </summary>
public sealed class SharedPrivateFusion : Module
{
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly ModuleDict<Linear> project;
    private readonly ModuleDict<LayerNorm> projectNorm;
    private readonly ModuleDict<Linear> privateSpace;
    private readonly Linear shared;
    private readonly ModuleDict<Linear> reconstruct;
    private readonly TransformerEncoder encoder;
    private readonly Activation activation;

    public SharedPrivateFusion(IReadOnlyList<InputWidth> inputs, int hidden, int heads, float dropout, RandomSource generator, Activation activation = Activation.Relu)
    {
        if (inputs.Count < 1) throw new ArgumentException("Shared/private fusion needs at least one input.");
        if (hidden <= 0) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "The hidden width must be positive.");
        this.inputs = inputs.ToArray();
        this.activation = activation;
        Hidden = hidden;
        project = RegisterModule("project", new ModuleDict<Linear>());
        foreach (var input in inputs) project.Add(input.Name, new Linear(input.Width, hidden, generator));
        projectNorm = RegisterModule("project_norm", new ModuleDict<LayerNorm>());
        foreach (var input in inputs) projectNorm.Add(input.Name, new LayerNorm(hidden));
        privateSpace = RegisterModule("private", new ModuleDict<Linear>());
        foreach (var input in inputs) privateSpace.Add(input.Name, new Linear(hidden, hidden, generator, bias: false));
        shared = RegisterModule("shared", new Linear(hidden, hidden, generator, bias: false));
        reconstruct = RegisterModule("reconstruct", new ModuleDict<Linear>());
        foreach (var input in inputs) reconstruct.Add(input.Name, new Linear(hidden, hidden, generator, bias: false));
        encoder = RegisterModule("encoder", new TransformerEncoder(1, hidden, heads, generator, feedForward: hidden, dropout: dropout));
    }

    public int Hidden { get; }

    public SharedPrivateResult Forward(IReadOnlyList<Tensor> xs)
    {
        int batch = OperatorChecks.Vectors("SharedPrivateFusion", xs, inputs);
        int count = xs.Count;
        var projected = new Tensor[count];
        var privates = new Tensor[count];
        var shareds = new Tensor[count];
        var reconstructed = new Tensor[count];
        for (int m = 0; m < count; m++)
        {
            projected[m] = projectNorm[m].Forward(activation.Apply(project[m].Forward(xs[m])));
            privates[m] = privateSpace[m].Forward(projected[m]).Sigmoid();
            shareds[m] = shared.Forward(projected[m]).Sigmoid();
            reconstructed[m] = reconstruct[m].Forward(privates[m] + shareds[m]);
        }

        var tokens = Tensor.Stack(privates.Concat(shareds).ToArray(), 1);      // [B, 2M, hidden]
        var fused = encoder.Forward(tokens, null).Reshape(batch, 2 * count * Hidden);
        return new SharedPrivateResult(fused, projected, privates, shareds, reconstructed);
    }
}

/// <summary>
/// Shared/private fusion's outputs: the fused vector <c>[B, 2*M*hidden]</c> and, per input m in
/// order, <c>u_m</c> (<see cref="Projected"/>), <c>p_m</c>, <c>s_m</c> and <c>u_hat_m</c>, each <c>[B, hidden]</c>.
/// </summary>
public sealed record SharedPrivateResult(
    Tensor Fused,
    IReadOnlyList<Tensor> Projected,
    IReadOnlyList<Tensor> Private,
    IReadOnlyList<Tensor> Shared,
    IReadOnlyList<Tensor> Reconstructed)
{
    /// <summary><c>L_sim</c>: <see cref="Loss.MisaSimilarity"/> of the shared vectors.</summary>
    public Tensor SimilarityLoss(int moments = 5) => Loss.MisaSimilarity(Shared, moments);

    /// <summary><c>L_diff</c>: <see cref="Loss.MisaDifference"/> of the private and shared vectors.</summary>
    public Tensor DifferenceLoss() => Loss.MisaDifference(Private, Shared);

    /// <summary><c>L_rec</c>: <see cref="Loss.MisaReconstruction"/> of the reconstructions against <c>u_m</c>.</summary>
    public Tensor ReconstructionLoss() => Loss.MisaReconstruction(Reconstructed, Projected);
}
