using System.Diagnostics;

namespace Fusion.Runtime.Tests;

/// <summary>A fact that skips itself, with the reason, unless /usr/bin/python3 can import numpy.</summary>
public sealed class SafeTensorsPythonFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Unavailable = new(Probe);

    public SafeTensorsPythonFactAttribute()
    {
        if (Unavailable.Value is string reason) Skip = reason;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} does not exist, so the Python interop check cannot run.";
        try
        {
            var start = new ProcessStartInfo(Python, ["-c", "import numpy"]) { RedirectStandardError = true, RedirectStandardOutput = true };
            using Process process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill();
                return $"{Python} -c 'import numpy' did not finish in 60 s.";
            }
            return process.ExitCode == 0 ? null : $"{Python} cannot import numpy: {error.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"{Python} could not be started: {e.Message}";
        }
    }
}
