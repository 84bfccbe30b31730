namespace Fusion.Runtime.Operators;

/// <summary>How CBMF's context <c>k</c> enters the tokens <c>X</c> (the <c>cbmf</c> op's <c>combine</c>; methods.md section 1).</summary>
public enum ContextCombineMode
{
    /// <summary><c>A = X + k</c>.</summary>
    Add,

    /// <summary><c>A = X * k</c>.</summary>
    Multiply,

    /// <summary><c>A = X + MLP([X; k])</c>, <c>MLP = Linear(2P, 2P) -> ReLU -> Linear(2P, P)</c>.</summary>
    Concat,

    /// <summary>Bahdanau: <c>s_j = w^T tanh(W_c k + W_v x_j) + b</c>, <c>A = X + sum_j softmax(s)_j x_j</c>.</summary>
    AdditiveAttention,

    /// <summary>Luong: <c>s_j = k . (W x_j)</c>, <c>A = X + sum_j softmax(s)_j x_j</c>.</summary>
    GeneralAttention,

    /// <summary><c>A = X + (W k + b)</c>.</summary>
    DotAttention,
}
