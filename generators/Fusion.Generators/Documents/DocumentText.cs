using System.Linq;
using System.Text;
using Fusion.Spec.Document;

namespace Fusion.Generators.Documents;

/// <summary>
/// A document as one line of flow YAML (<c>{model: Tfn, modalities: {text: {shape: [300]}}}</c>): the
/// text whose hash an attribute-declared model records, as a YAML model records its file's hash.
/// </summary>
internal static class DocumentText
{
    public static string Render(DocNode node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, DocNode node)
    {
        switch (node)
        {
            case DocMap map:
                sb.Append('{');
                foreach (var (entry, i) in map.Entries.Select((e, i) => (e, i)))
                {
                    sb.Append(i == 0 ? string.Empty : ", ");
                    Write(sb, entry.Key);
                    sb.Append(": ");
                    Write(sb, entry.Value);
                }

                sb.Append('}');
                break;
            case DocList list:
                sb.Append('[');
                foreach (var (item, i) in list.Items.Select((e, i) => (e, i)))
                {
                    sb.Append(i == 0 ? string.Empty : ", ");
                    Write(sb, item);
                }

                sb.Append(']');
                break;
            case DocScalar { IsQuoted: true } quoted:
                sb.Append('"').Append(quoted.Text.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
                break;
            case DocScalar plain:
                sb.Append(plain.Text);
                break;
        }
    }
}
