namespace Fusion.Annotations;

/// <summary>What a <c>gru</c> or <c>lstm</c> returns (<c>return</c>).</summary>
public enum RecurrentReturn
{
    /// <summary><c>last</c></summary>
    Last,
    /// <summary><c>all</c></summary>
    All,
}
