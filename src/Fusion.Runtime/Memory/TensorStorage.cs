namespace Fusion.Runtime.Memory;

/// <summary>
/// The float buffer behind one or more tensors (a tensor and its views). Reference counted:
/// every tensor that uses the storage holds one reference; when the last one is released a
/// pooled buffer goes back to <see cref="BufferPool"/>. A storage that wraps a caller's array
/// never returns it to the pool.
/// </summary>
internal sealed class TensorStorage
{
    private float[]? data;
    private int references;
    private readonly bool pooled;

    private TensorStorage(float[] data, bool pooled)
    {
        this.data = data;
        this.pooled = pooled;
        references = 1;
    }

    /// <summary>A storage over a pooled buffer of exactly <paramref name="length"/> floats (uninitialised).</summary>
    public static TensorStorage Rent(int length) => new(BufferPool.Rent(length), pooled: true);

    /// <summary>A storage over an array the pool must never take.</summary>
    public static TensorStorage Wrap(float[] data) => new(data, pooled: false);

    public float[] Data => data ?? throw new ObjectDisposedException(nameof(Tensor), "The tensor's buffer was released (its dispose scope ended or it was disposed).");

    public int Length => Data.Length;

    public bool IsReleased => data is null;

    public void AddReference()
    {
        if (data is null) throw new ObjectDisposedException(nameof(Tensor));
        Interlocked.Increment(ref references);
    }

    public void Release()
    {
        int left = Interlocked.Decrement(ref references);
        if (left > 0) return;
        if (left < 0) throw new InvalidOperationException("Tensor storage released more often than referenced.");
        var array = Interlocked.Exchange(ref data, null);
        if (array is not null && pooled) BufferPool.Return(array);
    }
}
