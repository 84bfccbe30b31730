using Fusion.Runtime.Kernels;

namespace Fusion.Runtime.Tests;

/// <summary>A theory that skips itself, with the reason, on machines where OpenBLAS cannot be loaded.</summary>
public sealed class OpenBlasTheoryAttribute : TheoryAttribute
{
    public OpenBlasTheoryAttribute()
    {
        if (!Gemm.OpenBlasAvailable)
            Skip = $"OpenBLAS ({OpenBlas.LibraryName}) could not be loaded on this machine; install libopenblas0 to test the OpenBLAS path.";
    }
}

/// <summary>A fact that skips itself, with the reason, on machines where OpenBLAS cannot be loaded.</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute()
    {
        if (!Gemm.OpenBlasAvailable)
            Skip = $"OpenBLAS ({OpenBlas.LibraryName}) could not be loaded on this machine; install libopenblas0 to test the OpenBLAS path.";
    }
}

/// <summary>A theory that skips itself, with the reason, where Vector512 is not hardware accelerated.</summary>
public sealed class Vector512TheoryAttribute : TheoryAttribute
{
    public Vector512TheoryAttribute()
    {
        if (!ManagedGemm.Vector512Available)
            Skip = "Vector512 is not hardware accelerated on this CPU, so the 512-bit micro-kernel never runs here.";
    }
}
