using Fusion.Runtime.Compute;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// S^(-1/2) of a symmetric positive definite matrix [n, n] by symmetric eigendecomposition
    /// (in double): <c>V diag(lambda^(-1/2)) V^T</c>. The input is symmetrised first,
    /// <c>(S + S^T) / 2</c>, so the op is defined for any square input and its gradient is
    /// symmetric. Throws when an eigenvalue is not positive. Backward:
    /// <c>dS = V (F o (V^T sym(G) V)) V^T</c> with the divided differences
    /// <c>F_ij = (f(l_i) - f(l_j)) / (l_i - l_j) = -1 / (s_i s_j (s_i + s_j))</c>, s = sqrt(l),
    /// which also covers equal eigenvalues (f'(l) = -l^(-3/2) / 2 on the diagonal).
    /// </summary>
    public Tensor SymmetricInverseSqrt()
    {
        if (Rank != 2 || shape[0] != shape[1])
            throw new ArgumentException($"SymmetricInverseSqrt needs a square matrix; shape is {Layout.Format(shape)}.");
        int n = shape[0];
        var s = ToDoubleMatrix(this);
        s = (s + s.Transpose()) * 0.5;
        var evd = s.Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var lambda = evd.EigenValues.Map(c => c.Real);
        double minLambda = lambda.Minimum();
        if (!(minLambda > 0))
            throw new ArgumentException($"SymmetricInverseSqrt: the matrix is not positive definite (smallest eigenvalue {minLambda:G6}).");
        var root = lambda.PointwiseSqrt();
        var result = FromDoubleMatrix(v * Matrix<double>.Build.DiagonalOfDiagonalVector(root.Map(x => 1.0 / x)) * v.Transpose());
        return Autograd.Record(result, [this], g =>
        {
            var gm = ToDoubleMatrix(g);
            gm = (gm + gm.Transpose()) * 0.5;
            var inner = v.Transpose() * gm * v;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    inner[i, j] *= -1.0 / (root[i] * root[j] * (root[i] + root[j]));
            using var ds = FromDoubleMatrix(v * inner * v.Transpose());
            AccumulateGrad(ds);
        }, "SymmetricInverseSqrt");
    }

    /// <summary>
    /// The trace (nuclear) norm of a matrix [m, n]: the sum of its singular values, computed by
    /// SVD in double. Gradient <c>U V^T</c> over the singular pairs (a subgradient where a
    /// singular value is zero).
    /// </summary>
    public Tensor NuclearNorm()
    {
        if (Rank != 2) throw new ArgumentException($"NuclearNorm needs a matrix; shape is {Layout.Format(shape)}.");
        return SumTopSingularValues(Math.Min(shape[0], shape[1]));
    }

    /// <summary>
    /// The sum of the <paramref name="k"/> largest singular values of a matrix [m, n]
    /// (1 &lt;= k &lt;= min(m, n)), by SVD in double. Gradient <c>sum_{i &lt; k} u_i v_i^T</c>;
    /// where the k-th and (k+1)-th singular values tie, the choice of singular vectors is arbitrary.
    /// </summary>
    public Tensor SumTopSingularValues(int k)
    {
        if (Rank != 2) throw new ArgumentException($"SumTopSingularValues needs a matrix; shape is {Layout.Format(shape)}.");
        int rank = Math.Min(shape[0], shape[1]);
        if (k < 1 || k > rank) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must lie in [1, {rank}] for shape {Layout.Format(shape)}.");
        var t = ToDoubleMatrix(this);
        var svd = t.Svd(computeVectors: true);
        var sigma = svd.S; // descending
        double total = 0;
        for (int i = 0; i < k; i++) total += sigma[i];
        var result = Scalar((float)total);
        var inputShape = shape;
        return Autograd.Record(result, [this], g =>
        {
            var u = svd.U.SubMatrix(0, inputShape[0], 0, k);
            var vt = svd.VT.SubMatrix(0, k, 0, inputShape[1]);
            var grad = u * vt * g.Item();
            using var dt = FromDoubleMatrix(grad);
            AccumulateGrad(dt);
        }, k == rank ? "NuclearNorm" : "SumTopSingularValues");
    }

    private static Matrix<double> ToDoubleMatrix(Tensor t)
    {
        int rows = t.shape[0], cols = t.shape[1];
        var m = Matrix<double>.Build.Dense(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i, j] = t.Buffer[t.offset + i * t.strides[0] + j * t.strides[1]];
        return m;
    }

    private static Tensor FromDoubleMatrix(Matrix<double> m)
    {
        var result = Allocate([m.RowCount, m.ColumnCount]);
        var dst = result.Buffer;
        int cols = m.ColumnCount;
        for (int i = 0; i < m.RowCount; i++)
            for (int j = 0; j < cols; j++)
                dst[i * cols + j] = (float)m[i, j];
        return result;
    }
}
