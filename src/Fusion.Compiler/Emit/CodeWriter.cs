using System.Text;

namespace Fusion.Compiler.Emit;

/// <summary>Builds source text line by line with four-space indentation and '\n' line ends (the same bytes on every platform).</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder text = new();
    private int depth;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append(' ', depth * 4);
        }

        text.Append(line).Append('\n');
        return this;
    }

    /// <summary>Writes every line of <paramref name="text"/> (lines separated by '\n') at the current indentation.</summary>
    public CodeWriter Lines(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned scope is disposed.</summary>
    public IDisposable Block(string header, string close = "}")
    {
        Line(header);
        Line("{");
        depth++;
        return new Closer(this, close);
    }

    public void Indent() => depth++;

    public void Outdent() => depth--;

    public override string ToString() => text.ToString();

    private sealed class Closer : IDisposable
    {
        private readonly CodeWriter writer;
        private readonly string close;

        public Closer(CodeWriter writer, string close)
        {
            this.writer = writer;
            this.close = close;
        }

        public void Dispose()
        {
            writer.depth--;
            writer.Line(close);
        }
    }
}
