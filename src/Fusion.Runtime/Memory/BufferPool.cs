namespace Fusion.Runtime.Memory;

/// <summary>
/// Pool of float arrays keyed by exact length. A training step repeats the same shapes, so
/// exact-length buckets reach a steady state in which no array is allocated. Arrays come back
/// dirty (never cleared); callers that need zeros clear them. Bounded: a bucket keeps at most
/// <see cref="MaxPerBucket"/> arrays and the pool at most <see cref="MaxPooledBytes"/> bytes;
/// beyond that, returned arrays are dropped for the GC.
/// </summary>
internal static class BufferPool
{
    public const int MaxPerBucket = 1 << 16;
    public const long MaxPooledBytes = 1L << 30;

    private static readonly Dictionary<int, Stack<float[]>> Buckets = new();
    private static readonly object Gate = new();
    private static long pooledBytes;
    private static long rented;
    private static long allocated;

    /// <summary>Number of rents served so far (pooled or new).</summary>
    public static long RentCount => Interlocked.Read(ref rented);

    /// <summary>Number of rents that had to allocate a new array.</summary>
    public static long AllocationCount => Interlocked.Read(ref allocated);

    /// <summary>Bytes currently held by the pool.</summary>
    public static long PooledBytes { get { lock (Gate) { return pooledBytes; } } }

    public static float[] Rent(int length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
        Interlocked.Increment(ref rented);
        if (length == 0) return Array.Empty<float>();
        lock (Gate)
        {
            if (Buckets.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                pooledBytes -= 4L * length;
                return stack.Pop();
            }
        }
        Interlocked.Increment(ref allocated);
        return GC.AllocateUninitializedArray<float>(length);
    }

    public static void Return(float[] array)
    {
        if (array.Length == 0) return;
        lock (Gate)
        {
            if (pooledBytes + 4L * array.Length > MaxPooledBytes) return;
            if (!Buckets.TryGetValue(array.Length, out var stack))
            {
                stack = new Stack<float[]>();
                Buckets[array.Length] = stack;
            }
            if (stack.Count >= MaxPerBucket) return;
            stack.Push(array);
            pooledBytes += 4L * array.Length;
        }
    }

    /// <summary>Drops every pooled array (tests and memory-pressure handling).</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Buckets.Clear();
            pooledBytes = 0;
        }
    }
}
