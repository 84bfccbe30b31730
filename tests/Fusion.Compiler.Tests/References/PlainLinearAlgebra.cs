namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Plain double-precision linear algebra for the reference checks: dense row-major matrices as
/// <c>double[rows][cols]</c>, the symmetric eigendecomposition by cyclic Jacobi rotations, and what
/// follows from it. No code shared with the runtime.
/// </summary>
internal static class PlainLinearAlgebra
{
    public static double[][] Transpose(double[][] a) =>
        Enumerable.Range(0, a[0].Length).Select(j => a.Select(r => r[j]).ToArray()).ToArray();

    public static double[][] Multiply(double[][] a, double[][] b) =>
        a.Select(r => Enumerable.Range(0, b[0].Length).Select(j => r.Select((v, k) => v * b[k][j]).Sum()).ToArray()).ToArray();

    /// <summary>Eigenvalues and eigenvectors (the columns of <c>Vectors</c>) of a symmetric matrix, by cyclic Jacobi sweeps.</summary>
    public static (double[] Values, double[][] Vectors) SymmetricEigen(double[][] symmetric)
    {
        int n = symmetric.Length;
        var a = symmetric.Select(r => (double[])r.Clone()).ToArray();
        var v = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => i == j ? 1.0 : 0.0).ToArray()).ToArray();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
            }

            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p][q] == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }

        return (Enumerable.Range(0, n).Select(i => a[i][i]).ToArray(), v);
    }

    /// <summary><c>S^(-1/2) = V diag(lambda^(-1/2)) V^T</c> of a symmetric positive-definite matrix.</summary>
    public static double[][] InverseSquareRoot(double[][] symmetric)
    {
        var (values, vectors) = SymmetricEigen(symmetric);
        int n = values.Length;
        return Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j =>
            Enumerable.Range(0, n).Sum(k => vectors[i][k] * vectors[j][k] / Math.Sqrt(values[k]))).ToArray()).ToArray();
    }

    /// <summary>The singular values of <paramref name="a"/>, largest first: square roots of the eigenvalues of <c>A^T A</c>.</summary>
    public static double[] SingularValues(double[][] a) =>
        SymmetricEigen(Multiply(Transpose(a), a)).Values.Select(v => Math.Sqrt(Math.Max(v, 0))).OrderByDescending(v => v).ToArray();
}
