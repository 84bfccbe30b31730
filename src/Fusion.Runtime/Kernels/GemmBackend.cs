namespace Fusion.Runtime.Kernels;

/// <summary>The implementation that computes a matrix product.</summary>
public enum GemmBackend
{
    /// <summary>The blocked managed SIMD GEMM (<see cref="ManagedGemm"/>); always available.</summary>
    Managed,

    /// <summary>cblas_sgemm from OpenBLAS (libopenblas.so.0) through P/Invoke, when the library is present.</summary>
    OpenBlas,
}
