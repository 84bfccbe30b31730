using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// CBMF's projection head (methods.md section 1), the spec's <c>projection</c> op, applied per token:
/// <c>LayerNorm(Dropout(fc2(GELU(fc1(x)))))</c> with <c>fc1 [out, in]</c>, <c>fc2 [out, out]</c>,
/// <c>norm [out]</c> (GELU exact, LayerNorm eps 1e-5). Keys: <c>fc1.*</c>, <c>fc2.*</c>, <c>norm.*</c>.
/// </summary>
public sealed class ProjectionHead : Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Dropout dropout;
    private readonly LayerNorm norm;

    public ProjectionHead(int inFeatures, int outFeatures, float dropout, RandomSource generator)
    {
        fc1 = RegisterModule("fc1", new Linear(inFeatures, outFeatures, generator));
        fc2 = RegisterModule("fc2", new Linear(outFeatures, outFeatures, generator));
        this.dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        norm = RegisterModule("norm", new LayerNorm(outFeatures));
    }

    public override Tensor Forward(Tensor input) =>
        norm.Forward(dropout.Forward(fc2.Forward(fc1.Forward(input).Gelu())));
}
