namespace Fusion.Runtime.Metrics;

/// <summary>The kind of a model head, which decides its metrics.</summary>
public enum HeadKind { Classifier, Regressor, Multilabel, Embedding }
