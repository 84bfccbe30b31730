using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Multimodal Compact Bilinear pooling (Fukui et al. 2016; methods.md sections 0 and 2), the
/// spec's <c>mcb</c> op, over two vectors: fixed count sketches <c>S_m</c> (one +-1 per row at a
/// hashed bucket) and <c>phi = real(IFFT(FFT(x_1 S_1) * FFT(x_2 S_2)))</c>, the runtime's
/// <see cref="Tensor.CircularConvolution"/>; then optionally the signed square root
/// <c>sign(phi) sqrt(|phi| + 1e-10)</c> and L2 normalisation. The sketches are buffers
/// <c>sketches.&lt;input&gt;.index</c> (the bucket in [0, D), as float) and <c>.sign</c> (+-1),
/// <c>[d_m]</c> each, drawn from <c>RandomSource(seed)</c>: for each input in order, every row's
/// bucket (<c>NextInt(D)</c>), then every row's sign (<c>Bernoulli(0.5)</c> gives +1).
/// </summary>
public sealed class CompactBilinearPooling : Module
{
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly int[][] indices;
    private readonly float[][] signs;

    public CompactBilinearPooling(IReadOnlyList<InputWidth> inputs, int outFeatures, bool signedSqrt, bool l2Normalize, int seed)
    {
        if (inputs.Count != 2) throw new ArgumentException($"CompactBilinearPooling takes two inputs; got {inputs.Count}.");
        if (outFeatures < 1) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "The sketch width must be positive.");
        this.inputs = inputs.ToArray();
        OutFeatures = outFeatures;
        SignedSqrt = signedSqrt;
        L2Normalize = l2Normalize;
        var random = new RandomSource(seed);
        indices = new int[2][];
        signs = new float[2][];
        var sketches = RegisterModule("sketches", new ModuleDict<Sketch>());
        for (int m = 0; m < 2; m++)
        {
            int d = inputs[m].Width;
            indices[m] = new int[d];
            signs[m] = new float[d];
            for (int i = 0; i < d; i++) indices[m][i] = random.NextInt(outFeatures);
            for (int i = 0; i < d; i++) signs[m][i] = random.Bernoulli(0.5) ? 1f : -1f;
            sketches.Add(inputs[m].Name, new Sketch(indices[m], signs[m]));
        }
    }

    public int OutFeatures { get; }

    public bool SignedSqrt { get; }

    public bool L2Normalize { get; }

    /// <summary>The bucket of every row of input <paramref name="input"/>'s sketch.</summary>
    public IReadOnlyList<int> Index(int input) => indices[input];

    /// <summary>The sign of every row of input <paramref name="input"/>'s sketch.</summary>
    public IReadOnlyList<float> Sign(int input) => signs[input];

    public Tensor Forward(IReadOnlyList<Tensor> xs)
    {
        OperatorChecks.Vectors(nameof(CompactBilinearPooling), xs, inputs);
        var a = CountSketch.Apply(xs[0], indices[0], signs[0], OutFeatures);
        var b = CountSketch.Apply(xs[1], indices[1], signs[1], OutFeatures);
        var phi = Tensor.CircularConvolution(a, b);
        if (SignedSqrt)
        {
            Tensor sign;
            using (Autograd.NoGrad()) sign = phi.Gt(0f) - phi.Lt(0f);
            phi = (phi.Abs() + 1e-10f).Sqrt() * sign;
        }

        return L2Normalize ? phi.L2Normalize(-1) : phi;
    }

    /// <summary>One input's count sketch as state-dict buffers <c>index</c> and <c>sign</c>.</summary>
    public sealed class Sketch : Module
    {
        public Sketch(int[] index, float[] sign)
        {
            RegisterBuffer("index", Tensor.FromArray(index.Select(i => (float)i).ToArray(), index.Length));
            RegisterBuffer("sign", Tensor.FromArray((float[])sign.Clone(), sign.Length));
        }
    }
}
