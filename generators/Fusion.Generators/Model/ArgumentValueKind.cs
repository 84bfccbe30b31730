namespace Fusion.Generators.Model;

/// <summary>What an attribute argument's value becomes in the spec document.</summary>
internal enum ArgumentValueKind
{
    /// <summary>null: an empty value.</summary>
    Null,

    /// <summary>A number, a boolean or an enum member's spec word: a plain scalar.</summary>
    Plain,

    /// <summary>A string: a quoted scalar, always text.</summary>
    Quoted,

    /// <summary>An array: a list of its items.</summary>
    List,
}
