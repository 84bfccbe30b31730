namespace Fusion.Runtime.Data;

/// <summary>
/// Batches of a <see cref="Dataset"/>: <see cref="Epoch"/> yields <see cref="DataBatch"/>es of
/// <see cref="BatchSize"/> samples (the last one smaller unless <see cref="DropLast"/>), in
/// dataset order or, with shuffling, in a fresh permutation drawn from the loader's
/// <see cref="RandomSource"/> at the start of every epoch (so a seeded source gives the same
/// batches run after run).
/// Memory: the loader owns two batches (full size, and the smaller last one) whose tensors are
/// allocated once and refilled in place, so a steady-state epoch allocates no data arrays; a
/// batch's tensors stay valid until the next batch is produced. Dispose the loader to give the
/// buffers back to the pool.
/// </summary>
public sealed class DataLoader : IDisposable
{
    private readonly int[] order;
    private DataBatch? full;
    private DataBatch? last;
    private bool disposed;

    public DataLoader(Dataset data, int batchSize, bool shuffle = false, RandomSource? random = null, bool dropLast = false)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        if (shuffle && random is null) throw new ArgumentNullException(nameof(random), "Shuffling needs a RandomSource.");
        Data = data;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Random = random;
        DropLast = dropLast;
        order = new int[data.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
    }

    public Dataset Data { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public RandomSource? Random { get; }
    public bool DropLast { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => DropLast ? Data.Count / BatchSize : (Data.Count + BatchSize - 1) / BatchSize;

    /// <summary>One pass over the data (reshuffled first when shuffling).</summary>
    public IEnumerable<DataBatch> Epoch()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Shuffle)
        {
            for (int i = 0; i < order.Length; i++) order[i] = i;
            Random!.Shuffle(order.AsSpan());
        }
        return Batches();
    }

    private IEnumerable<DataBatch> Batches()
    {
        int count = BatchCount;
        for (int b = 0; b < count; b++)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            int start = b * BatchSize;
            int size = Math.Min(BatchSize, Data.Count - start);
            DataBatch batch = size == BatchSize ? full ??= new DataBatch(Data, size) : last ??= new DataBatch(Data, size);
            batch.Fill(Data, order.AsSpan(start, size));
            yield return batch;
        }
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        full?.Release();
        last?.Release();
    }
}
