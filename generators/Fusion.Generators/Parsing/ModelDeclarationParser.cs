using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Fusion.Generators.Model;
using Fusion.Spec.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Fusion.Generators.Parsing;

/// <summary>
/// The transform of the attribute pipeline: a <c>[FusionModel]</c> class -> <see cref="ModelDeclaration"/>.
/// Reads every attribute of the Fusion.Annotations namespace from <see cref="AttributeData"/> (the
/// compiler's own binding of the constants) and takes each argument's location from the syntax.
/// </summary>
internal static class ModelDeclarationParser
{
    private const string AnnotationsNamespace = "Fusion.Annotations";
    private const string SpecNameAttribute = "Fusion.Annotations.SpecNameAttribute";

    public static ModelDeclaration Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Parse((INamedTypeSymbol)context.TargetSymbol, (ClassDeclarationSyntax)context.TargetNode, cancellationToken);

    /// <summary>The declaration of <paramref name="symbol"/>, declared by <paramref name="syntax"/>.</summary>
    public static ModelDeclaration Parse(INamedTypeSymbol symbol, ClassDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        var classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        string? ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;

        var diagnostics = new List<DiagnosticInfo>();
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticDescriptors.NotPartial.Id,
                $"the [FusionModel] class '{symbol.Name}' must be declared partial: the generator writes the rest of it",
                classLocation));
        }

        if (symbol.ContainingType is not null || symbol.TypeParameters.Length > 0 || ns is null)
        {
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticDescriptors.NotTopLevel.Id,
                $"the [FusionModel] class '{symbol.Name}' must be a non-generic class declared directly in a namespace",
                classLocation));
        }

        var attributes = new List<AttributeInfo>();
        foreach (var attribute in symbol.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.AttributeClass is not { } type || type.ContainingNamespace?.ToDisplayString() != AnnotationsNamespace)
            {
                continue;
            }

            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax attributeSyntax)
            {
                continue;
            }

            attributes.Add(ReadAttribute(attribute, type, attributeSyntax));
        }

        return new ModelDeclaration(
            symbol.Name,
            ns,
            syntax.SyntaxTree.FilePath,
            classLocation,
            attributes.ToEquatableArray(),
            diagnostics.ToEquatableArray());
    }

    private static AttributeInfo ReadAttribute(AttributeData attribute, INamedTypeSymbol type, AttributeSyntax syntax)
    {
        string name = type.Name.EndsWith("Attribute", System.StringComparison.Ordinal) ? type.Name.Substring(0, type.Name.Length - "Attribute".Length) : type.Name;
        var location = LocationInfo.From(syntax);
        var arguments = syntax.ArgumentList?.Arguments ?? default;
        var positional = arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();

        var constructor = new List<ArgumentInfo>();
        var parameters = attribute.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
        for (int i = 0; i < attribute.ConstructorArguments.Length && i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var byName = arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameter.Name);
            var argument = byName ?? (i < positional.Count ? positional[i] : null);
            var argumentLocation = argument is null ? location : LocationInfo.From(argument.Expression);

            // A params array written as separate arguments: each item is one argument.
            IReadOnlyList<ExpressionSyntax>? items = null;
            if (parameter.IsParams && byName is null && attribute.ConstructorArguments[i].Kind == TypedConstantKind.Array
                && positional.Count - i == attribute.ConstructorArguments[i].Values.Length
                && !(positional.Count - i == 1 && IsArrayExpression(positional[i].Expression)))
            {
                items = positional.Skip(i).Select(a => a.Expression).ToList();
                if (items.Count > 0)
                {
                    argumentLocation = LocationInfo.From(items[0]);
                }
            }

            var value = ReadValue(attribute.ConstructorArguments[i], argumentLocation, items ?? ItemsOf(argument?.Expression));
            constructor.Add(new ArgumentInfo(parameter.Name, value, argumentLocation));
        }

        var named = new List<ArgumentInfo>();
        foreach (var pair in attribute.NamedArguments)
        {
            var argument = arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == pair.Key);
            var nameLocation = argument?.NameEquals is { } equals ? LocationInfo.From(equals.Name) : location;
            var valueLocation = argument is null ? location : LocationInfo.From(argument.Expression);
            named.Add(new ArgumentInfo(pair.Key, ReadValue(pair.Value, valueLocation, ItemsOf(argument?.Expression)), nameLocation));
        }

        return new AttributeInfo(name, location, constructor.ToEquatableArray(), named.ToEquatableArray());
    }

    private static bool IsArrayExpression(ExpressionSyntax expression) =>
        expression is ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax
            || IsCollectionExpression(expression)
            || (expression is CastExpressionSyntax cast && IsArrayExpression(cast.Expression));

    /// <summary>
    /// <c>[1, 2]</c>: C# 12's collection expression. The generator builds against an older Roslyn (see the
    /// project file) that has no type for it, so it is recognised by name; its elements hold the items.
    /// </summary>
    private static bool IsCollectionExpression(SyntaxNode node) => node.GetType().Name == "CollectionExpressionSyntax";

    /// <summary>The item expressions of an array written in place (<c>new[] { 1, 2 }</c>, <c>[1, 2]</c>), else null.</summary>
    private static IReadOnlyList<ExpressionSyntax>? ItemsOf(ExpressionSyntax? expression) => expression switch
    {
        ArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions,
        ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer.Expressions,
        { } collection when IsCollectionExpression(collection) =>
            collection.ChildNodes().Select(element => element.ChildNodes().OfType<ExpressionSyntax>().FirstOrDefault()).OfType<ExpressionSyntax>().ToList(),
        CastExpressionSyntax cast => ItemsOf(cast.Expression),
        _ => null,
    };

    private static ArgumentValue ReadValue(TypedConstant constant, LocationInfo location, IReadOnlyList<ExpressionSyntax>? itemSyntax)
    {
        if (constant.Kind == TypedConstantKind.Array)
        {
            if (constant.IsNull)
            {
                return Scalar(ArgumentValueKind.Null, string.Empty, location);
            }

            var values = constant.Values;
            var items = new List<ArgumentValue>(values.Length);
            for (int i = 0; i < values.Length; i++)
            {
                var itemLocation = itemSyntax is not null && itemSyntax.Count == values.Length ? LocationInfo.From(itemSyntax[i]) : location;
                items.Add(ReadValue(values[i], itemLocation, null));
            }

            return new ArgumentValue(ArgumentValueKind.List, string.Empty, items.ToEquatableArray(), location);
        }

        if (constant.IsNull || constant.Value is null)
        {
            return Scalar(ArgumentValueKind.Null, string.Empty, location);
        }

        if (constant.Kind == TypedConstantKind.Enum)
        {
            return Scalar(ArgumentValueKind.Plain, EnumWord(constant), location);
        }

        return constant.Value switch
        {
            string text => Scalar(ArgumentValueKind.Quoted, text, location),
            bool flag => Scalar(ArgumentValueKind.Plain, flag ? "true" : "false", location),
            double number => Scalar(ArgumentValueKind.Plain, Number(number), location),
            float number => Scalar(ArgumentValueKind.Plain, Number(number), location),
            System.IFormattable formattable => Scalar(ArgumentValueKind.Plain, formattable.ToString(null, CultureInfo.InvariantCulture), location),
            var other => Scalar(ArgumentValueKind.Quoted, other.ToString() ?? string.Empty, location),
        };
    }

    /// <summary>An enum member's spec word: its <c>[SpecName]</c>, else its snake_case name; an unnamed value stays a number.</summary>
    private static string EnumWord(TypedConstant constant)
    {
        var member = constant.Type?.GetMembers().OfType<IFieldSymbol>()
            .FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, constant.Value));
        if (member is null)
        {
            return System.Convert.ToString(constant.Value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        var specName = member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SpecNameAttribute);
        return specName is { ConstructorArguments.Length: 1 } && specName.ConstructorArguments[0].Value is string word
            ? word
            : SpecWords.SnakeCase(member.Name);
    }

    private static string Number(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return ".inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-.inf";
        }

        return double.IsNaN(value) ? ".nan" : value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static ArgumentValue Scalar(ArgumentValueKind kind, string text, LocationInfo location) =>
        new(kind, text, EquatableArray<ArgumentValue>.Empty, location);
}
