using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Nn;

/// <summary>
/// What <see cref="Gru"/> and <see cref="Lstm"/> share, after PyTorch's <c>nn.RNNBase</c> with
/// <c>batch_first=True</c>: the parameters of every layer and direction with PyTorch's names
/// (<c>weight_ih_l{k}[_reverse] [G*H, in_k]</c>, <c>weight_hh_l{k}[_reverse] [G*H, H]</c>,
/// <c>bias_ih_l{k}[_reverse]</c>, <c>bias_hh_l{k}[_reverse] [G*H]</c>, registered and initialised in
/// PyTorch's order, all U(-1/sqrt(H), 1/sqrt(H))), the stack of layers with dropout between them
/// (training only) and sequence lengths as <c>pack_padded_sequence</c>: the forward direction
/// stops at each sample's length, the reverse direction starts at its last valid step, outputs at
/// padded steps are zero. Each layer and direction is one autograd node (<see cref="RunDirection"/>)
/// whose backward is a hand-written backpropagation through time.
/// </summary>
public abstract class Recurrent : Module
{
    private readonly RandomSource generator;
    private readonly Tensor[][] weights;

    private protected Recurrent(int inputSize, int hiddenSize, int gates, RandomSource generator, int numLayers, bool bidirectional, float dropout)
    {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"{GetType().Name}({inputSize}, {hiddenSize}, layers {numLayers}): sizes must be positive.");
        if (!(dropout >= 0f && dropout <= 1f)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout probability must be in [0, 1].");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bidirectional = bidirectional;
        Dropout = dropout;
        Gates = gates;
        this.generator = generator;
        int directions = Directions;
        float bound = 1f / MathF.Sqrt(hiddenSize);
        weights = new Tensor[numLayers * directions][];
        for (int layer = 0; layer < numLayers; layer++)
            for (int dir = 0; dir < directions; dir++)
            {
                string suffix = $"_l{layer}" + (dir == 1 ? "_reverse" : "");
                int inputs = layer == 0 ? inputSize : directions * hiddenSize;
                weights[layer * directions + dir] =
                [
                    Parameter("weight_ih" + suffix, bound, gates * hiddenSize, inputs),
                    Parameter("weight_hh" + suffix, bound, gates * hiddenSize, hiddenSize),
                    Parameter("bias_ih" + suffix, bound, gates * hiddenSize),
                    Parameter("bias_hh" + suffix, bound, gates * hiddenSize),
                ];
            }
    }

    private Tensor Parameter(string name, float bound, params int[] shape)
    {
        var p = RegisterParameter(name, Tensor.Empty(shape).DetachFromScope());
        Init.Uniform(p, generator, -bound, bound);
        return p;
    }

    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public bool Bidirectional { get; }
    public float Dropout { get; }

    /// <summary>Gate blocks per weight matrix: 3 (GRU) or 4 (LSTM).</summary>
    public int Gates { get; }

    /// <summary>1, or 2 when bidirectional.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>The width of each output step: <c>Directions * HiddenSize</c>.</summary>
    public int OutputSize => Directions * HiddenSize;

    /// <summary>
    /// The last layer's final states of <paramref name="hiddenState"/> (<c>[layers*D, B, H]</c>, as returned by
    /// Forward) side by side: <c>[B, D*H]</c>, forward then reverse (the spec's <c>return: last</c>).
    /// </summary>
    public Tensor LastLayerState(Tensor hiddenState)
    {
        if (hiddenState.Rank != 3 || hiddenState.Size(0) != NumLayers * Directions || hiddenState.Size(2) != HiddenSize)
            throw new ArgumentException($"{GetType().Name}: a hidden state must be [{NumLayers * Directions}, B, {HiddenSize}]; got {Layout.Format(hiddenState.Shape)}.");
        int last = (NumLayers - 1) * Directions;
        return Directions == 1
            ? hiddenState.Select(0, last)
            : Tensor.Concat(1, hiddenState.Select(0, last), hiddenState.Select(0, last + 1));
    }

    /// <summary>
    /// One layer in one direction over contiguous <paramref name="input"/> <c>[B, N, in]</c> from the initial
    /// states (contiguous <c>[B, H]</c> each, h then c; null: zeros): a new tensor <c>[B, N + S, H]</c> holding
    /// the outputs at steps 0..N-1, then the S final states (h, and c for an LSTM), recorded as one op.
    /// </summary>
    private protected abstract Tensor RunDirection(Tensor input, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh,
        int[] lengths, bool reverse, Tensor?[] initial);

    /// <summary>Number of final states a direction returns (1: h; 2: h and c).</summary>
    private protected abstract int StateCount { get; }

    /// <summary>
    /// Runs every layer: the outputs of the last layer <c>[B, N, D*H]</c> (zero at padded steps) and each
    /// final state stacked as PyTorch's <c>[layers*D, B, H]</c> (index layer*D + direction). Initial states,
    /// when given, have that shape too (a sample of length 0 keeps them as its final states).
    /// </summary>
    private protected (Tensor Output, Tensor[] States) Run(Tensor input, LongTensor? lengths, params Tensor?[] initialStates)
    {
        string op = GetType().Name;
        if (input.Rank != 3 || input.Size(2) != InputSize)
            throw new ArgumentException($"{op} expects [B, N, {InputSize}] (batch first); got {Layout.Format(input.Shape)}.");
        int batch = input.Size(0), steps = input.Size(1);
        var lens = StepLengths.Of(lengths, batch, steps, op);
        int directions = Directions;
        foreach (var state in initialStates)
            if (state is not null && (state.Rank != 3 || state.Size(0) != NumLayers * directions || state.Size(1) != batch || state.Size(2) != HiddenSize))
                throw new ArgumentException($"{op}: an initial state must be [{NumLayers * directions}, {batch}, {HiddenSize}]; got {Layout.Format(state.Shape)}.");
        var finals = new List<Tensor>[StateCount];
        for (int s = 0; s < finals.Length; s++) finals[s] = new List<Tensor>(NumLayers * directions);

        var x = input;
        for (int layer = 0; layer < NumLayers; layer++)
        {
            var xc = x.Contiguous();
            var outputs = new Tensor[directions];
            for (int dir = 0; dir < directions; dir++)
            {
                var w = weights[layer * directions + dir];
                int index = layer * directions + dir;
                var initial = new Tensor?[StateCount];
                for (int s = 0; s < initial.Length && s < initialStates.Length; s++) initial[s] = initialStates[s]?.Select(0, index).Contiguous();
                var combined = RunDirection(xc, w[0], w[1], w[2], w[3], lens, reverse: dir == 1, initial);
                outputs[dir] = combined.Slice(1, 0, steps);
                for (int s = 0; s < finals.Length; s++) finals[s].Add(combined.Select(1, steps + s));
            }
            x = directions == 1 ? outputs[0].Contiguous() : Tensor.Concat(outputs, 2);
            if (layer < NumLayers - 1 && Dropout > 0f && IsTraining) x = Tensor.Dropout(x, Dropout, true, generator);
        }
        var states = new Tensor[finals.Length];
        for (int s = 0; s < states.Length; s++) states[s] = Tensor.Stack(finals[s], 0);
        return (x, states);
    }
}
