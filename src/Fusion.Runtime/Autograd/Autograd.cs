namespace Fusion.Runtime;

/// <summary>
/// The backward pass of one recorded op: receives the gradient of the op's result (contiguous,
/// the result's shape) and calls <see cref="Tensor.AccumulateGrad(Tensor)"/> on each input that
/// needs a gradient. It runs with gradient recording off, inside a dispose scope of its own, so
/// temporaries it creates are released as soon as it returns.
/// </summary>
public delegate void BackwardFunction(Tensor gradOutput);

/// <summary>Entry points of the autograd tape: the no-grad switch and the op-recording hook.</summary>
public static class Autograd
{
    [ThreadStatic] private static int noGradDepth;

    /// <summary>Whether ops record themselves on this thread (false inside a <see cref="NoGrad"/> scope).</summary>
    public static bool IsGradEnabled => noGradDepth == 0;

    /// <summary>Turns recording off on this thread until the returned scope is disposed.</summary>
    public static NoGradScope NoGrad()
    {
        noGradDepth++;
        return new NoGradScope(Environment.CurrentManagedThreadId);
    }

    internal static void Exit() => noGradDepth--;

    /// <summary>True when an op over <paramref name="inputs"/> would be recorded now.</summary>
    public static bool NeedsGrad(ReadOnlySpan<Tensor> inputs)
    {
        if (noGradDepth != 0) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>True when an op over <paramref name="input"/> would be recorded now.</summary>
    public static bool NeedsGrad(Tensor input) => noGradDepth == 0 && input.RequiresGrad;

    /// <summary>
    /// The extension point for new differentiable ops. Call it with the freshly computed
    /// <paramref name="result"/> (a tensor the op created, not yet on the graph), the op's tensor
    /// inputs and the backward closure. When recording is on and some input requires a gradient,
    /// the result becomes a non-leaf with <see cref="Tensor.RequiresGrad"/> set and the closure is
    /// attached; otherwise nothing is recorded. Returns <paramref name="result"/>.
    /// </summary>
    public static Tensor Record(Tensor result, ReadOnlySpan<Tensor> inputs, BackwardFunction backward, string name = "op")
    {
        if (!NeedsGrad(inputs)) return result;
        if (result.GradFn is not null || result.IsLeafRequiringGrad)
            throw new InvalidOperationException($"Autograd.Record({name}): the result is already on the graph; record a fresh tensor.");
        result.AttachNode(new GradNode(name, inputs.ToArray(), backward));
        return result;
    }
}

/// <summary>Restores gradient recording when disposed. Obtained from <see cref="Autograd.NoGrad"/> or <see cref="Tensor.NoGrad"/>.</summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly int threadId;

    internal NoGradScope(int threadId) => this.threadId = threadId;

    public void Dispose()
    {
        if (threadId == 0) return;
        if (Environment.CurrentManagedThreadId != threadId)
            throw new InvalidOperationException("A NoGrad scope must be disposed on the thread that opened it.");
        Autograd.Exit();
    }
}
