namespace Fusion.Runtime.Nn;

/// <summary>PyTorch's <c>nn.LayerNorm(width)</c> over the last axis: <c>weight</c> (ones) and <c>bias</c> (zeros), eps 1e-5.</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    public LayerNorm(int width, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        Width = width;
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(width).DetachFromScope());
            Bias = RegisterParameter("bias", Tensor.Zeros(width).DetachFromScope());
        }
    }

    public int Width { get; }
    public float Eps { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Tensor.LayerNorm(input, Weight, Bias, Eps);
}
