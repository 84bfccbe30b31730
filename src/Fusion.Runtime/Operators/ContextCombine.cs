using Fusion.Runtime.Compute;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// How CBMF's context <c>k [P]</c> enters the tokens <c>X [B, N, P]</c> (methods.md section 1), the
/// <c>combine</c> sub-module of <see cref="DeepFusionEncoder"/>; see <see cref="ContextCombineMode"/>.
/// Keys (docs/spec-language.md): concat <c>layers.0.* [2P, 2P]</c>, <c>layers.1.* [P, 2P]</c>;
/// additive attention <c>context.weight [P, P]</c>, <c>value.weight [P, P]</c> (bare matrices),
/// <c>score.weight [1, P]</c>, <c>score.bias [1]</c>; general attention <c>weight [P, P]</c>; dot
/// attention <c>weight [P, P]</c>, <c>bias [P]</c>; add and multiply none. Every matrix is
/// initialised as a PyTorch Linear. The attention softmax runs over the valid tokens only: padded
/// tokens get weight 0, so they never change a result.
/// </summary>
public sealed class ContextCombine : Module
{
    /// <summary>The score given to padded tokens: exp of it underflows to 0 next to any valid score.</summary>
    private const float PaddedScore = -1e30f;

    private readonly ModuleList<Linear>? layers;
    private readonly Linear? context;
    private readonly Linear? value;
    private readonly Linear? score;

    public ContextCombine(int width, ContextCombineMode mode, RandomSource generator, bool tanh = true)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "ContextCombine: the width must be positive.");
        Width = width;
        Mode = mode;
        Tanh = tanh;
        switch (mode)
        {
            case ContextCombineMode.Concat:
                layers = RegisterModule("layers", new ModuleList<Linear>());
                layers.Append(new Linear(2 * width, 2 * width, generator));
                layers.Append(new Linear(2 * width, width, generator));
                break;
            case ContextCombineMode.AdditiveAttention:
                context = RegisterModule("context", new Linear(width, width, generator, bias: false));
                value = RegisterModule("value", new Linear(width, width, generator, bias: false));
                score = RegisterModule("score", new Linear(width, 1, generator));
                break;
            case ContextCombineMode.GeneralAttention:
            case ContextCombineMode.DotAttention:
                Weight = RegisterParameter("weight", Tensor.Empty(width, width));
                Init.KaimingUniform(Weight, generator, Math.Sqrt(5));
                if (mode == ContextCombineMode.DotAttention)
                {
                    float bound = 1f / MathF.Sqrt(width);
                    Bias = RegisterParameter("bias", Tensor.Empty(width));
                    Init.Uniform(Bias, generator, -bound, bound);
                }

                break;
        }
    }

    public int Width { get; }

    public ContextCombineMode Mode { get; }

    /// <summary>Additive attention only: whether the tanh is applied (false: the reference code's form, where k cancels).</summary>
    public bool Tanh { get; }

    /// <summary>General attention's <c>W</c>, dot attention's <c>W_v</c> (<c>[P, P]</c>); null otherwise.</summary>
    public Tensor? Weight { get; }

    /// <summary>Dot attention's <c>b [P]</c>; null otherwise.</summary>
    public Tensor? Bias { get; }

    /// <summary>
    /// <c>A [B, N, P]</c> from tokens <paramref name="x"/> <c>[B, N, P]</c> and context <paramref name="k"/> <c>[P]</c>;
    /// <paramref name="padded"/> <c>[B, N, 1]</c> is non-zero at padded tokens (null: every token is valid).
    /// </summary>
    public Tensor Forward(Tensor x, Tensor k, Tensor? padded = null)
    {
        if (x.Rank != 3 || x.Size(2) != Width)
            throw new ArgumentException($"ContextCombine: the tokens must be [B, N, {Width}]; got {Layout.Format(x.Shape)}.");
        if (k.Rank != 1 || k.Size(0) != Width)
            throw new ArgumentException($"ContextCombine: the context must be [{Width}]; got {Layout.Format(k.Shape)}.");
        switch (Mode)
        {
            case ContextCombineMode.Add:
                return x + k;
            case ContextCombineMode.Multiply:
                return x * k;
            case ContextCombineMode.Concat:
            {
                var joined = Tensor.Concat(-1, x, k.Expand(x.Size(0), x.Size(1), Width));    // [B, N, 2P]
                return x + layers![1].Forward(layers[0].Forward(joined).Relu());
            }

            case ContextCombineMode.AdditiveAttention:
            {
                var hidden = value!.Forward(x) + context!.Forward(k);                          // [B, N, P]
                if (Tanh) hidden = hidden.Tanh();
                return Attend(x, score!.Forward(hidden), padded);
            }

            case ContextCombineMode.GeneralAttention:
            {
                // s_j = k . (W x_j) = (W^T k) . x_j
                var query = Tensor.MatMul(k.Unsqueeze(0), Weight!);                            // [1, P]
                return Attend(x, (x * query).Sum(-1, keepDim: true), padded);
            }

            default:
                return x + Tensor.Linear(k.Unsqueeze(0), Weight!, Bias);                       // [1, P] over every token
        }
    }

    /// <summary><c>X + sum_j alpha_j x_j</c> with <c>alpha = softmax_j(scores)</c> over the valid tokens; scores <c>[B, N, 1]</c>.</summary>
    private static Tensor Attend(Tensor x, Tensor scores, Tensor? padded)
    {
        if (padded is not null) scores = scores.MaskedFill(padded, PaddedScore);
        var alpha = scores.Softmax(1);                                                         // [B, N, 1]
        return x + (alpha * x).Sum(1, keepDim: true);                                          // [B, 1, P] over every token
    }
}
