using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Modality dropout (methods.md section 2), the spec's <c>modality_dropout</c> op. In training,
/// each sample drops each of its M inputs with probability p; when every input of a sample
/// would be dropped, one of them (uniformly chosen) is kept, so a sample never loses all of
/// them. The kept inputs are rescaled by <c>M / kept</c>, so that their sum keeps its scale. In
/// evaluation it is the identity. Inputs may be vectors or sequences (any rank, batch first).
/// One output per input. No parameters.
/// </summary>
public sealed class ModalityDropout : Module
{
    private readonly RandomSource generator;

    public ModalityDropout(int inputs, float p, RandomSource generator)
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "ModalityDropout needs at least one input.");
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must be in [0, 1).");
        Inputs = inputs;
        P = p;
        this.generator = generator;
    }

    public int Inputs { get; }

    public float P { get; }

    public Tensor[] Forward(IReadOnlyList<Tensor> xs)
    {
        OperatorChecks.Count(nameof(ModalityDropout), xs, Inputs);
        if (!IsTraining || P == 0f) return xs.ToArray();
        int batch = xs[0].Size(0);
        var scales = DrawScales(batch);
        var outputs = new Tensor[Inputs];
        for (int m = 0; m < Inputs; m++)
        {
            var shape = new int[xs[m].Rank];
            Array.Fill(shape, 1);
            shape[0] = batch;
            outputs[m] = xs[m] * Tensor.FromArray(scales[m], shape);
        }

        return outputs;
    }

    /// <summary>Per input, per sample: 0 when dropped, else M / kept.</summary>
    private float[][] DrawScales(int batch)
    {
        var scales = new float[Inputs][];
        for (int m = 0; m < Inputs; m++) scales[m] = new float[batch];
        var keep = new bool[Inputs];
        for (int b = 0; b < batch; b++)
        {
            int kept = 0;
            for (int m = 0; m < Inputs; m++)
            {
                keep[m] = !generator.Bernoulli(P);
                if (keep[m]) kept++;
            }

            if (kept == 0)
            {
                keep[generator.NextInt(Inputs)] = true;
                kept = 1;
            }

            for (int m = 0; m < Inputs; m++) scales[m][b] = keep[m] ? (float)Inputs / kept : 0f;
        }

        return scales;
    }
}
