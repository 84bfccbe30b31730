using System.Text;

namespace Fusion.Generators.Tests;

/// <summary>
/// Compares a text with the checked-in <c>Snapshots/&lt;name&gt;.verified.cs</c>. On a mismatch (or a
/// missing snapshot) it writes <c>&lt;name&gt;.received.cs</c> beside it and fails with a short diff;
/// with <c>FUSION_ACCEPT=1</c> it overwrites the verified file instead.
/// </summary>
internal static class Snapshot
{
    private const int ContextLines = 3;
    private const int ShownDifferences = 12;

    public static void Verify(string name, string actual)
    {
        actual = Normalize(actual);
        string verified = Path.Combine(RepositoryPaths.Snapshots, name + ".verified.cs");
        string received = Path.Combine(RepositoryPaths.Snapshots, name + ".received.cs");
        if (Environment.GetEnvironmentVariable("FUSION_ACCEPT") == "1")
        {
            Directory.CreateDirectory(RepositoryPaths.Snapshots);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        if (!File.Exists(verified))
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"No snapshot {verified}; wrote {received}. Review it and rerun with FUSION_ACCEPT=1 to accept.");
        }

        string expected = Normalize(File.ReadAllText(verified));
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail($"{name}: the generated source differs from {verified} (wrote {received}; FUSION_ACCEPT=1 accepts it):\n{Diff(expected, actual)}");
    }

    /// <summary>The first differing lines, as <c>-</c> (verified) and <c>+</c> (received) with a little context.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        int first = 0;
        while (first < a.Length && first < b.Length && a[first] == b[first])
        {
            first++;
        }

        var sb = new StringBuilder();
        sb.AppendLine($"first difference at line {first + 1} (verified {a.Length} lines, received {b.Length})");
        for (int i = Math.Max(0, first - ContextLines); i < first; i++)
        {
            sb.AppendLine("  " + a[i]);
        }

        for (int i = first; i < Math.Min(a.Length, first + ShownDifferences); i++)
        {
            sb.AppendLine("- " + a[i]);
        }

        for (int i = first; i < Math.Min(b.Length, first + ShownDifferences); i++)
        {
            sb.AppendLine("+ " + b[i]);
        }

        return sb.ToString();
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');
}
