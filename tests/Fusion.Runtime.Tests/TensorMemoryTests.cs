using Fusion.Runtime.Memory;

namespace Fusion.Runtime.Tests;

[CollectionDefinition(nameof(BufferPoolCollection), DisableParallelization = true)]
public sealed class BufferPoolCollection;

/// <summary>Scopes, reference-counted storage and the buffer pool.</summary>
[Collection(nameof(BufferPoolCollection))]
public class TensorMemoryTests
{
    [Fact]
    public void ScopeReleasesWhatWasCreatedInside()
    {
        var outside = Tensor.Ones(4);
        Tensor inside;
        using (Tensor.NewScope())
        {
            inside = outside * 2f;
            Assert.Equal(2f, inside[0]);
        }
        Assert.True(inside.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => inside.ToArray());
        Assert.False(outside.IsDisposed);
        Assert.Equal(1f, outside[0]);
    }

    [Fact]
    public void ViewsKeepTheirStorageAliveAfterTheBaseIsDisposed()
    {
        var baseTensor = Tensor.Arange(6).Reshape(2, 3);
        var view = baseTensor.T();
        baseTensor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => baseTensor.ToArray());
        // The storage is still referenced by the view: it must not have gone back to the pool.
        var reuse = Tensor.Full(-1f, 6);
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, view.ToArray());
        reuse.Dispose();
        view.Dispose();
    }

    [Fact]
    public void AReleasedBufferIsReusedByTheNextRentOfItsSize()
    {
        const int size = 12_345;
        var first = Tensor.Zeros(size);
        var array = first.Buffer;
        first.Dispose();
        var second = Tensor.Empty(size);
        Assert.Same(array, second.Buffer);
        second.Dispose();
    }

    [Fact]
    public void MoveToOuterScopeAndDetachFromScopeKeepTensorsAlive()
    {
        Tensor kept, moved, released;
        using (Tensor.NewScope())
        {
            using (Tensor.NewScope())
            {
                kept = Tensor.Ones(3).DetachFromScope();
                moved = Tensor.Ones(3).MoveToOuterScope();
                released = Tensor.Ones(3);
            }
            Assert.True(released.IsDisposed);
            Assert.False(moved.IsDisposed);
        }
        Assert.True(moved.IsDisposed);
        Assert.False(kept.IsDisposed);
        kept.Dispose();
    }

    [Fact]
    public void ScopesMustCloseInOrder()
    {
        var outer = Tensor.NewScope();
        var inner = Tensor.NewScope();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        outer.Dispose();
    }

    [Fact]
    public void LeafGradientsSurviveTheStepScope()
    {
        var w = Tensor.Ones(3).SetRequiresGrad();
        using (Tensor.NewScope())
        {
            (w * w).Sum().Backward();
        }
        Assert.Equal(new[] { 2f, 2f, 2f }, w.Grad!.ToArray());
    }

    [Fact]
    public void DisposeGraphReleasesIntermediatesButNotLeaves()
    {
        var w = Tensor.Randn(new RandomSource(3), 3, 3).SetRequiresGrad();
        var x = Tensor.Ones(2, 3);
        var h = Tensor.MatMul(x, w).Tanh();
        var loss = h.Sum();
        loss.Backward();
        loss.DisposeGraph();
        Assert.True(loss.IsDisposed);
        Assert.True(h.IsDisposed);
        Assert.False(w.IsDisposed);
        Assert.False(x.IsDisposed);
        Assert.NotNull(w.Grad);
        Assert.Throws<ObjectDisposedException>(() => h.ToArray());
    }

    [Fact]
    public void BackwardThroughAReleasedIntermediateFailsLoudly()
    {
        var w = Tensor.Ones(3).SetRequiresGrad();
        var h = w * 2f;
        var y = (h * h).Sum();
        h.Dispose();
        Assert.Throws<ObjectDisposedException>(() => y.Backward());
    }

    [Fact]
    public void ADeepStepWithManySameSizedIntermediatesReachesASteadyState()
    {
        // 600 live intermediates of one size (a long unrolled chain) must all come back from the pool.
        var w = Tensor.Full(0.999f, 64, 64).SetRequiresGrad();
        void Step()
        {
            using (Tensor.NewScope())
            {
                var h = w;
                for (int i = 0; i < 300; i++) h = (h * 1.0001f).Tanh();
                h.Sum().Backward();
            }
            w.ZeroGrad();
        }
        Step();
        Step();
        long before = BufferPool.AllocationCount;
        Step();
        Assert.Equal(before, BufferPool.AllocationCount);
    }

    private sealed class Mlp
    {
        public readonly Tensor W1, B1, W2, B2;

        public Mlp(RandomSource rng, int input, int hidden, int classes)
        {
            W1 = (Tensor.Randn(rng, hidden, input) * 0.1f).SetRequiresGrad();
            B1 = Tensor.Zeros(hidden).SetRequiresGrad();
            W2 = (Tensor.Randn(rng, classes, hidden) * 0.1f).SetRequiresGrad();
            B2 = Tensor.Zeros(classes).SetRequiresGrad();
        }

        public float Step(Tensor x, LongTensor labels, float lr)
        {
            float loss;
            using (Tensor.NewScope())
            {
                var h = (Tensor.MatMul(x, W1.T()) + B1).Gelu();
                var logits = Tensor.MatMul(h, W2.T()) + B2;
                var nll = -logits.LogSoftmax(-1).Gather(1, labels).Mean();
                nll.Backward();
                loss = nll.Item();
            }
            using (Tensor.NoGrad())
            {
                foreach (var p in new[] { W1, B1, W2, B2 })
                {
                    p.AddInPlace(p.Grad!, -lr);
                    p.ZeroGrad();
                }
            }
            return loss;
        }
    }

    [Fact]
    public void SteadyStateTrainingStepAllocatesNoDataArrays()
    {
        const int batch = 64, input = 256, hidden = 128, classes = 10;
        var rng = new RandomSource(1);
        var model = new Mlp(rng, input, hidden, classes);
        var x = Tensor.Randn(rng, batch, input);
        var labels = LongTensor.FromArray(Enumerable.Range(0, batch).Select(i => (long)(i % classes)).ToArray(), batch, 1);

        float first = model.Step(x, labels, 0.1f);
        for (int i = 0; i < 3; i++) model.Step(x, labels, 0.1f);

        long poolAllocations = BufferPool.AllocationCount;
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int steps = 10;
        float last = 0;
        for (int i = 0; i < steps; i++) last = model.Step(x, labels, 0.1f);
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;

        Assert.True(last < first, $"the loss did not go down ({first} -> {last})");
        Assert.Equal(poolAllocations, BufferPool.AllocationCount);
        // One activation of this step is 64 x 128 floats = 32 KiB; all data together is far more.
        Assert.True(perStep < 32 * 1024, $"a steady-state step allocated {perStep} bytes");
    }
}
