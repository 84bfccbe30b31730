using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Tests;

/// <summary>Kernels split over cores give bit-identical results to the serial path.</summary>
[Collection(nameof(BufferPoolCollection))]
public class TensorParallelKernelTests
{
    private static float[] Run(bool forceParallel, Func<Tensor> op)
    {
        int saved = Parallelism.MinElements;
        Parallelism.MinElements = forceParallel ? 2 : int.MaxValue;
        try
        {
            return op().ToArray();
        }
        finally
        {
            Parallelism.MinElements = saved;
        }
    }

    public static TheoryData<string> Ops() => new() { "add-broadcast", "add-strided", "gelu", "tanh", "softmax", "softmax-axis0", "sum-axis0", "sum-axis1", "max-axis1", "matmul-batched", "gelu-grad", "softmax-grad", "logsoftmax-grad", "copy-transposed" };

    [Theory]
    [MemberData(nameof(Ops))]
    public void ParallelMatchesSerialBitForBit(string name)
    {
        var rng = new RandomSource(21);
        var a = Tensor.Randn(rng, 37, 301);
        var b = Tensor.Randn(rng, 301);
        var c = Tensor.Randn(rng, 301, 37);
        var batchA = Tensor.Randn(rng, 64, 5, 7);
        var batchB = Tensor.Randn(rng, 64, 7, 3);
        Func<Tensor> op = name switch
        {
            "add-broadcast" => () => a + b,
            "add-strided" => () => a + c.T(),
            "gelu" => () => a.Gelu(),
            "tanh" => () => a.Tanh(),
            "softmax" => () => a.Softmax(-1),
            "softmax-axis0" => () => a.Softmax(0),
            "sum-axis0" => () => a.Sum(0),
            "sum-axis1" => () => a.Sum(1),
            "max-axis1" => () => a.Max(1),
            "matmul-batched" => () => Tensor.MatMul(batchA, batchB),
            "gelu-grad" => () =>
            {
                var x = a.Detach().SetRequiresGrad();
                x.Gelu().Sum().Backward();
                return x.Grad!;
            },
            "softmax-grad" => () =>
            {
                var x = a.Detach().SetRequiresGrad();
                (x.Softmax(-1) * c.T()).Sum().Backward();
                return x.Grad!;
            },
            "logsoftmax-grad" => () =>
            {
                var x = a.Detach().SetRequiresGrad();
                (x.LogSoftmax(-1) * c.T()).Sum().Backward();
                return x.Grad!;
            },
            "copy-transposed" => () => c.T().Contiguous(),
            _ => throw new ArgumentException(name),
        };
        var serial = Run(false, op);
        var parallel = Run(true, op);
        Assert.Equal(serial.Select(BitConverter.SingleToInt32Bits), parallel.Select(BitConverter.SingleToInt32Bits));
    }
}
