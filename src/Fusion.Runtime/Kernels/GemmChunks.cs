namespace Fusion.Runtime.Kernels;

/// <summary>
/// Runs chunks 0..count-1 of a product on the calling thread plus helpers from the thread pool, each taking the next
/// unclaimed chunk. The caller never waits for a helper to start: on busy cores a helper that is scheduled late
/// finds the chunks already done and leaves without touching the operands. The caller waits only for chunks that a
/// helper has claimed. Which thread computes a chunk does not change its result.
/// </summary>
internal sealed class GemmChunks
{
    private readonly Action<int> body;
    private readonly int count;
    private readonly ManualResetEventSlim done = new(false);
    private int next = -1;
    private int completed;
    private Exception? failure;

    private GemmChunks(Action<int> body, int count)
    {
        this.body = body;
        this.count = count;
    }

    public static void Run(int count, int threads, Action<int> body)
    {
        var job = new GemmChunks(body, count);
        for (int t = 1; t < Math.Min(threads, count); t++)
            ThreadPool.UnsafeQueueUserWorkItem(static j => j.Work(), job, preferLocal: false);
        job.Work();
        // Not disposed: a helper may still be returning from Set() when the caller wakes.
        if (Volatile.Read(ref job.completed) < count) job.done.Wait();
        if (job.failure is Exception e) throw new AggregateException("A GEMM chunk failed.", e);
    }

    private void Work()
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref next)) < count)
        {
            try
            {
                body(chunk);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
            if (Interlocked.Increment(ref completed) == count) done.Set();
        }
    }
}
