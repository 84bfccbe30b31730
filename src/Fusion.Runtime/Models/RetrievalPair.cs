namespace Fusion.Runtime.Models;

/// <summary>
/// Two embedding heads of one width whose outputs for the same sample belong together (the two
/// sides of a <c>between</c> loss: contrastive, cca, cmd, sinkhorn). Evaluation reports recall@k
/// of retrieving each side from the other over the whole evaluated split.
/// </summary>
public sealed record RetrievalPair(string Query, string Target);
