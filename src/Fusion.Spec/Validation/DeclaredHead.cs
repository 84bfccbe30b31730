using Fusion.Spec.Ir;

namespace Fusion.Spec.Validation;

/// <summary>What is known of a declared head even when it failed to bind: its type and size, where they could be read.</summary>
internal sealed record DeclaredHead(HeadType? Type, int? Size);
