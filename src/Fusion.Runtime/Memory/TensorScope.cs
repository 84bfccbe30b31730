namespace Fusion.Runtime.Memory;

/// <summary>
/// Owns every tensor created on this thread while it is the innermost open scope and disposes
/// them when it ends, so their pooled buffers are reused by the next step. Open one around a
/// training step: <c>using var scope = Tensor.NewScope();</c>. Keep a tensor beyond the scope
/// with <see cref="Tensor.MoveToOuterScope"/> or <see cref="Tensor.DetachFromScope"/>.
/// Parameters, gradients of leaves and tensors created with no scope open are never owned.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? current;

    private readonly List<Tensor> owned = new();
    private readonly TensorScope? outer;
    private readonly int threadId;
    private bool disposed;

    internal TensorScope()
    {
        outer = current;
        threadId = Environment.CurrentManagedThreadId;
        current = this;
    }

    internal static TensorScope? Current => current;

    internal TensorScope? Outer => outer;

    /// <summary>Number of tensors this scope currently owns.</summary>
    public int Count => owned.Count;

    internal void Add(Tensor tensor) => owned.Add(tensor);

    internal bool Remove(Tensor tensor)
    {
        // Usually the tensor was added recently: search from the end.
        int index = owned.LastIndexOf(tensor);
        if (index < 0) return false;
        owned.RemoveAt(index);
        return true;
    }

    /// <summary>Releases every tensor owned so far but keeps the scope open (used between backward nodes).</summary>
    internal void ReleaseOwned()
    {
        if (owned.Count == 0) return;
        // Releasing may not add tensors to this scope, so iterating the list is safe.
        foreach (var tensor in owned) tensor.ReleaseFromScope();
        owned.Clear();
    }

    public void Dispose()
    {
        if (disposed) return;
        if (Environment.CurrentManagedThreadId != threadId)
            throw new InvalidOperationException("A TensorScope must be disposed on the thread that opened it.");
        if (current != this)
            throw new InvalidOperationException("TensorScopes must be disposed in the reverse order of opening.");
        disposed = true;
        current = outer;
        foreach (var tensor in owned) tensor.ReleaseFromScope();
        owned.Clear();
    }
}
