using System.Text;

namespace Fusion.Generators.Parsing;

/// <summary>C# names to spec words: <c>FinalActivation</c> -> <c>final_activation</c>, <c>TMax</c> -> <c>t_max</c>, <c>L2Normalize</c> -> <c>l2_normalize</c>.</summary>
internal static class SpecWords
{
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                char previous = name[i - 1];
                bool nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    sb.Append('_');
                }
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }
}
