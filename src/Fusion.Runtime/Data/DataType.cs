namespace Fusion.Runtime.Data;

/// <summary>The element type of a data column: float32 features or int64 labels and token ids.</summary>
public enum DataType { Float32, Int64 }
