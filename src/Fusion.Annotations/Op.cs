namespace Fusion.Annotations;

/// <summary>The <c>op</c> of an encoder or fusion node (docs/spec-language.md, the op tables).</summary>
public enum Op
{
    /// <summary><c>identity</c></summary>
    Identity,
    /// <summary><c>linear</c></summary>
    Linear,
    /// <summary><c>mlp</c></summary>
    Mlp,
    /// <summary><c>projection</c></summary>
    Projection,
    /// <summary><c>conv1d</c></summary>
    Conv1d,
    /// <summary><c>gru</c></summary>
    Gru,
    /// <summary><c>lstm</c></summary>
    Lstm,
    /// <summary><c>transformer</c></summary>
    Transformer,
    /// <summary><c>conv2d</c></summary>
    Conv2d,
    /// <summary><c>embedding</c></summary>
    Embedding,
    /// <summary><c>pool</c></summary>
    Pool,
    /// <summary><c>concat</c></summary>
    Concat,
    /// <summary><c>late</c></summary>
    Late,
    /// <summary><c>weighted</c></summary>
    Weighted,
    /// <summary><c>gmu</c></summary>
    Gmu,
    /// <summary><c>dynamic_gate</c></summary>
    DynamicGate,
    /// <summary><c>tensor</c></summary>
    Tensor,
    /// <summary><c>lowrank</c></summary>
    [SpecName("lowrank")]
    LowRank,
    /// <summary><c>mcb</c></summary>
    Mcb,
    /// <summary><c>film</c></summary>
    Film,
    /// <summary><c>cross_attention</c></summary>
    CrossAttention,
    /// <summary><c>self_attention</c></summary>
    SelfAttention,
    /// <summary><c>co_attention</c></summary>
    CoAttention,
    /// <summary><c>graph_gcn</c></summary>
    GraphGcn,
    /// <summary><c>graph_gat</c></summary>
    GraphGat,
    /// <summary><c>modality_dropout</c></summary>
    ModalityDropout,
    /// <summary><c>autofusion</c></summary>
    [SpecName("autofusion")]
    AutoFusion,
    /// <summary><c>ganfusion</c></summary>
    [SpecName("ganfusion")]
    GanFusion,
    /// <summary><c>misa</c></summary>
    Misa,
    /// <summary><c>cbmf</c></summary>
    Cbmf,
}
