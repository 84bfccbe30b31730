using Fusion.Runtime.Data;
using Fusion.Runtime.Models;

namespace Fusion.Runtime.Tests;

/// <summary>
/// A parameter-free <see cref="FusionModel"/> for the retrieval-metric tests: its embedding heads
/// "left" and "right" [4] output the vector modalities "x" and "y" as they are, so the data decides
/// which pairs match; the descriptor lists the retrieval pair (left, right). One loss term, "gap":
/// the mean squared difference of the heads.
/// </summary>
internal sealed class RetrievalTestModel : FusionModel
{
    public const int Width = 4;

    public RetrievalTestModel(IReadOnlyList<RetrievalPair>? pairs = null, HeadKind rightKind = HeadKind.Embedding)
    {
        Descriptor = new ModelDescriptor(
            "RetrievalTest",
            [new ModalityDescriptor("x", [Width], ModalityKind.Vector), new ModalityDescriptor("y", [Width], ModalityKind.Vector)],
            [],
            [new HeadDescriptor("left", HeadKind.Embedding, Width, null), new HeadDescriptor("right", rightKind, Width, null)],
            [],
            TrainingTestModel.Settings(),
            new SyntheticDataSettings(40, 4, 0.1, 0, [1.0]))
        {
            RetrievalPairs = pairs ?? [new RetrievalPair("left", "right")],
        };
    }

    public override ModelDescriptor Descriptor { get; }

    /// <summary>Columns x and y of <paramref name="x"/>.Length / <see cref="Width"/> samples.</summary>
    public static Dataset Data(float[] x, float[] y) =>
        new([DataColumn.FromFloats("x", x, [Width]), DataColumn.FromFloats("y", y, [Width])]);

    public override FusionOutputs ForwardColumns(DataBatch batch) =>
        new(
            new Dictionary<string, Tensor> { ["left"] = batch.Float("x"), ["right"] = batch.Float("y") },
            new Dictionary<string, Tensor>());

    public override LossBreakdown LossColumns(FusionOutputs outputs, DataBatch batch) =>
        new([("gap", (outputs.Heads["left"] - outputs.Heads["right"]).Square().Mean(), 1.0)]);
}
