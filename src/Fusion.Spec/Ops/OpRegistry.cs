using Fusion.Spec.Ops.Encoders;
using Fusion.Spec.Ops.Fusion;

namespace Fusion.Spec.Ops;

/// <summary>Every op of the spec language, by name.</summary>
internal static class OpRegistry
{
    private static readonly OpDefinition[] AllOps =
    [
        new IdentityOp(), new LinearOp(), new MlpOp(), new ProjectionOp(), new Conv1dOp(),
        RecurrentOp.Gru, RecurrentOp.Lstm, new TransformerOp(), new Conv2dOp(), new EmbeddingOp(), new PoolOp(),
        new ConcatOp(), new LateOp(), new WeightedOp(), new GmuOp(), new DynamicGateOp(), new TensorOp(),
        new LowRankOp(), new McbOp(), new FilmOp(), new CrossAttentionOp(), new SelfAttentionOp(),
        new CoAttentionOp(), new GraphGcnOp(), new GraphGatOp(), new ModalityDropoutOp(), new AutoFusionOp(),
        new GanFusionOp(), new MisaOp(), new CbmfOp(),
    ];

    private static readonly Dictionary<string, OpDefinition> ByName = AllOps.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public static IReadOnlyList<OpDefinition> All => AllOps;

    public static IEnumerable<string> Names => AllOps.Select(o => o.Name);

    public static OpDefinition? Find(string name) => ByName.TryGetValue(name, out var op) ? op : null;

    public static OpDefinition Get(string name) =>
        Find(name) ?? throw new KeyNotFoundException($"no op '{name}'");
}
