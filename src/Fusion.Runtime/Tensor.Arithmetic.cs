using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>a + b with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var result = TensorKernels.Binary<AddOp>(a, b);
        return Autograd.Record(result, [a, b], g =>
        {
            a.AccumulateGrad(g);
            b.AccumulateGrad(g);
        }, "Add");
    }

    /// <summary>a - b with NumPy broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var result = TensorKernels.Binary<SubOp>(a, b);
        return Autograd.Record(result, [a, b], g =>
        {
            a.AccumulateGrad(g);
            if (b.RequiresGrad) b.AccumulateGrad(-g);
        }, "Sub");
    }

    /// <summary>a * b (element-wise) with NumPy broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var result = TensorKernels.Binary<MulOp>(a, b);
        return Autograd.Record(result, [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGrad(g * b);
            if (b.RequiresGrad) b.AccumulateGrad(g * a);
        }, "Mul");
    }

    /// <summary>a / b (element-wise) with NumPy broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var result = TensorKernels.Binary<DivOp>(a, b);
        return Autograd.Record(result, [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGrad(g / b);
            if (b.RequiresGrad) b.AccumulateGrad(-(g * result) / b);
        }, "Div");
    }

    /// <summary>Element-wise maximum; the gradient goes to the larger input (half to each on ties).</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Extremum<MaximumOp, GtOp>(a, b, "Maximum");

    /// <summary>Element-wise minimum; the gradient goes to the smaller input (half to each on ties).</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Extremum<MinimumOp, LtOp>(a, b, "Minimum");

    private static Tensor Extremum<TOp, TWins>(Tensor a, Tensor b, string name) where TOp : IBinaryOp where TWins : IBinaryOp
    {
        var result = TensorKernels.Binary<TOp>(a, b);
        return Autograd.Record(result, [a, b], g =>
        {
            var aWins = TensorKernels.Binary<TWins>(a, b);
            var tie = TensorKernels.Binary<EqOp>(a, b);
            var wa = aWins + tie * 0.5f;
            if (a.RequiresGrad) a.AccumulateGrad(g * wa);
            if (b.RequiresGrad) b.AccumulateGrad(g * (1f - wa));
        }, name);
    }

    private static Tensor WithScalar<TOp>(Tensor a, float s, bool scalarFirst) where TOp : IBinaryOp
    {
        using var scalar = Scalar(s);
        return scalarFirst ? TensorKernels.Binary<TOp>(scalar, a) : TensorKernels.Binary<TOp>(a, scalar);
    }

    public static Tensor Add(Tensor a, float b)
    {
        var result = WithScalar<AddOp>(a, b, false);
        return Autograd.Record(result, [a], g => a.AccumulateGrad(g), "AddScalar");
    }

    public static Tensor Sub(Tensor a, float b) => Add(a, -b);

    public static Tensor Sub(float a, Tensor b)
    {
        var result = WithScalar<SubOp>(b, a, true);
        return Autograd.Record(result, [b], g => b.AccumulateGrad(-g), "RSubScalar");
    }

    public static Tensor Mul(Tensor a, float b)
    {
        var result = WithScalar<MulOp>(a, b, false);
        return Autograd.Record(result, [a], g => a.AccumulateGrad(g * b), "MulScalar");
    }

    public static Tensor Div(Tensor a, float b)
    {
        var result = WithScalar<DivOp>(a, b, false);
        return Autograd.Record(result, [a], g => a.AccumulateGrad(g / b), "DivScalar");
    }

    public static Tensor Div(float a, Tensor b)
    {
        var result = WithScalar<DivOp>(b, a, true);
        return Autograd.Record(result, [b], g => b.AccumulateGrad(-(g * result) / b), "RDivScalar");
    }

    /// <summary>-a.</summary>
    public static Tensor Neg(Tensor a)
    {
        var result = WithScalar<MulOp>(a, -1f, false);
        return Autograd.Record(result, [a], g => a.AccumulateGrad(-g), "Neg");
    }

    public Tensor Add(Tensor other) => Add(this, other);
    public Tensor Sub(Tensor other) => Sub(this, other);
    public Tensor Mul(Tensor other) => Mul(this, other);
    public Tensor Div(Tensor other) => Div(this, other);
    public Tensor Add(float other) => Add(this, other);
    public Tensor Sub(float other) => Sub(this, other);
    public Tensor Mul(float other) => Mul(this, other);
    public Tensor Div(float other) => Div(this, other);
    public Tensor Neg() => Neg(this);

    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Sub(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Mul(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Div(a, b);
    public static Tensor operator +(Tensor a, float b) => Add(a, b);
    public static Tensor operator +(float a, Tensor b) => Add(b, a);
    public static Tensor operator -(Tensor a, float b) => Sub(a, b);
    public static Tensor operator -(float a, Tensor b) => Sub(a, b);
    public static Tensor operator *(Tensor a, float b) => Mul(a, b);
    public static Tensor operator *(float a, Tensor b) => Mul(b, a);
    public static Tensor operator /(Tensor a, float b) => Div(a, b);
    public static Tensor operator /(float a, Tensor b) => Div(a, b);
    public static Tensor operator -(Tensor a) => Neg(a);

    // Comparisons: masks of 1 and 0, never recorded (they have no useful gradient).

    /// <summary>1 where a == b, else 0 (broadcast; not differentiable).</summary>
    public Tensor Eq(Tensor other) => TensorKernels.Binary<EqOp>(this, other);
    /// <summary>1 where a &gt; b, else 0.</summary>
    public Tensor Gt(Tensor other) => TensorKernels.Binary<GtOp>(this, other);
    /// <summary>1 where a &gt;= b, else 0.</summary>
    public Tensor Ge(Tensor other) => TensorKernels.Binary<GeOp>(this, other);
    /// <summary>1 where a &lt; b, else 0.</summary>
    public Tensor Lt(Tensor other) => TensorKernels.Binary<LtOp>(this, other);
    /// <summary>1 where a &lt;= b, else 0.</summary>
    public Tensor Le(Tensor other) => TensorKernels.Binary<LeOp>(this, other);
    public Tensor Eq(float other) => WithScalar<EqOp>(this, other, false);
    public Tensor Gt(float other) => WithScalar<GtOp>(this, other, false);
    public Tensor Ge(float other) => WithScalar<GeOp>(this, other, false);
    public Tensor Lt(float other) => WithScalar<LtOp>(this, other, false);
    public Tensor Le(float other) => WithScalar<LeOp>(this, other, false);
}
