using System.Security.Cryptography;
using System.Text;
using Fusion.Spec.Diagnostics;
using Fusion.Spec.Validation;
using Fusion.Spec.Yaml;

namespace Fusion.Spec;

/// <summary>The YAML front end: text -> document -> checked IR.</summary>
public static class SpecReader
{
    /// <summary>Reads and checks a spec file. Throws <see cref="SpecFileException"/> only when the file cannot be read.</summary>
    public static SpecResult ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SpecFileException(path, e.Message, e);
        }

        return Parse(text, path);
    }

    /// <summary>Checks spec text; <paramref name="path"/> is used in locations. Never throws on bad input.</summary>
    public static SpecResult Parse(string yamlText, string path)
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlDocumentReader.Read(yamlText, path, diagnostics);
        if (diagnostics.HasErrors && root is null)
        {
            return new SpecResult(null, diagnostics.ToImmutableSorted());
        }

        return SpecBinder.Bind(root, path, HashOf(yamlText), diagnostics);
    }

    /// <summary>The lowercase hex SHA-256 of the UTF-8 text: the hash generated code and checkpoints record.</summary>
    public static string HashOf(string text)
    {
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var sb = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
