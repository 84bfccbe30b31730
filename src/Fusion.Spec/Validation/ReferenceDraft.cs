using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Validation;

/// <summary>A reference as written: <c>producer</c> or <c>producer.member</c>.</summary>
internal sealed record ReferenceDraft(string Text, string Producer, string? Member, SourceLocation Location)
{
    public string InputName => Member ?? Producer;

    public static ReferenceDraft Parse(string text, SourceLocation location)
    {
        int dot = text.IndexOf('.');
        return dot < 0
            ? new ReferenceDraft(text, text, null, location)
            : new ReferenceDraft(text, text.Substring(0, dot), text.Substring(dot + 1), location);
    }
}
