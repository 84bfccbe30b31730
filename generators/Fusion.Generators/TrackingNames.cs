namespace Fusion.Generators;

/// <summary>The names of the pipeline steps, for <c>GeneratorRunResult.TrackedSteps</c> in tests.</summary>
internal static class TrackingNames
{
    /// <summary>A <c>[FusionModel]</c> class -> <c>ModelDeclaration</c> (equatable).</summary>
    public const string ModelDeclaration = nameof(ModelDeclaration);

    /// <summary><c>ModelDeclaration</c> -> document -> binder -> emitter: <c>GenerationResult</c>.</summary>
    public const string ModelGeneration = nameof(ModelGeneration);

    /// <summary>A <c>*.fusion.yaml</c> additional file and its item metadata -> <c>YamlSpecFile</c>.</summary>
    public const string YamlFile = nameof(YamlFile);

    /// <summary><c>YamlSpecFile</c> -> YAML reader -> binder -> emitter: <c>GenerationResult</c>.</summary>
    public const string YamlGeneration = nameof(YamlGeneration);
}
