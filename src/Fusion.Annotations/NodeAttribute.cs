using System;

namespace Fusion.Annotations;

/// <summary>
/// A node of the graph (<see cref="EncoderAttribute"/> or <see cref="FusionNodeAttribute"/>). Each named
/// argument is the op attribute of the same name in snake_case (<c>FinalActivation</c> is
/// <c>final_activation</c>); only the arguments written reach the spec, so the op's defaults apply to
/// the rest, and an argument the op does not take is reported (FUS001) at the argument.
/// </summary>
public abstract class NodeAttribute : Attribute
{
    private protected NodeAttribute(string name, Op? op, string? opName)
    {
        Name = name;
        Op = op;
        OpName = opName;
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>The op, when given as an <see cref="Annotations.Op"/>.</summary>
    public Op? Op { get; }

    /// <summary>The op, when given as the spec writes it (<c>mlp</c>, <c>graph_gcn</c>).</summary>
    public string? OpName { get; }

    /// <summary><c>input</c>: the one input of a single-input op (a modality, node or <c>node.member</c>).</summary>
    public string? Input { get; set; }

    /// <summary><c>inputs</c>: the inputs of a several-input op.</summary>
    public string[]? Inputs { get; set; }

    /// <summary><c>group</c>: the parameter group (default: the section).</summary>
    public string? Group { get; set; }

    /// <summary><c>out</c>.</summary>
    public int Out { get; set; }

    /// <summary><c>hidden</c> as a list of widths (<c>mlp</c>).</summary>
    public int[]? Hidden { get; set; }

    /// <summary><c>hidden</c> as one width (<c>gru</c>, <c>lstm</c>, <c>misa</c>).</summary>
    public int HiddenSize { get; set; }

    /// <summary><c>activation</c>.</summary>
    public Activation Activation { get; set; }

    /// <summary><c>dropout</c>, in [0, 1).</summary>
    public double Dropout { get; set; }

    /// <summary><c>norm</c>.</summary>
    public Norm Norm { get; set; }

    /// <summary><c>final_activation</c>.</summary>
    public bool FinalActivation { get; set; }

    /// <summary><c>bias</c>.</summary>
    public bool Bias { get; set; }

    /// <summary><c>channels</c>.</summary>
    public int Channels { get; set; }

    /// <summary><c>kernel</c>.</summary>
    public int Kernel { get; set; }

    /// <summary><c>stride</c>.</summary>
    public int Stride { get; set; }

    /// <summary><c>padding</c>.</summary>
    public int Padding { get; set; }

    /// <summary><c>layers</c>.</summary>
    public int Layers { get; set; }

    /// <summary><c>heads</c>.</summary>
    public int Heads { get; set; }

    /// <summary><c>ff</c>.</summary>
    public int Ff { get; set; }

    /// <summary><c>norm_first</c>.</summary>
    public bool NormFirst { get; set; }

    /// <summary><c>positional</c>.</summary>
    public Positional Positional { get; set; }

    /// <summary><c>bidirectional</c>.</summary>
    public bool Bidirectional { get; set; }

    /// <summary><c>return</c>.</summary>
    public RecurrentReturn Return { get; set; }

    /// <summary><c>dim</c>.</summary>
    public int Dim { get; set; }

    /// <summary><c>mode</c> (<c>pool</c> op).</summary>
    public Pool Mode { get; set; }

    /// <summary><c>combine</c>.</summary>
    public Combine Combine { get; set; }

    /// <summary><c>tanh</c>.</summary>
    public bool Tanh { get; set; }

    /// <summary><c>pool</c> (attention ops).</summary>
    public Pool Pool { get; set; }

    /// <summary><c>contexts</c>: the context modality of each input (<c>cbmf</c>).</summary>
    public string[]? Contexts { get; set; }

    /// <summary><c>width</c>.</summary>
    public int Width { get; set; }

    /// <summary><c>rank</c>.</summary>
    public int Rank { get; set; }

    /// <summary><c>signed_sqrt</c>.</summary>
    public bool SignedSqrt { get; set; }

    /// <summary><c>l2_normalize</c>.</summary>
    public bool L2Normalize { get; set; }

    /// <summary><c>seed</c>.</summary>
    public int Seed { get; set; }

    /// <summary><c>p</c>.</summary>
    public double P { get; set; }

    /// <summary><c>latent</c>.</summary>
    public int Latent { get; set; }

    /// <summary><c>edges</c>: each edge is <c>"a-b"</c>, two input names (<c>[a, b]</c> in YAML).</summary>
    public string[]? Edges { get; set; }

    /// <summary><c>readout</c>.</summary>
    public Readout Readout { get; set; }

    /// <summary><c>normalize</c>.</summary>
    public Normalize Normalize { get; set; }
}
