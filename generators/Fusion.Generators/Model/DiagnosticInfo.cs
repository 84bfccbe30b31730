namespace Fusion.Generators.Model;

/// <summary>A diagnostic as plain data: its id (a key of <see cref="DiagnosticDescriptors"/>), the message and the location.</summary>
internal sealed record DiagnosticInfo(string Id, string Message, LocationInfo? Location);
