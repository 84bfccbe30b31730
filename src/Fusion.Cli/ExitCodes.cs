namespace Fusion.Cli;

/// <summary>The exit codes of the <c>fusion</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Success (a spec with only warnings is a success).</summary>
    public const int Ok = 0;

    /// <summary>A spec has errors, or the command line is wrong.</summary>
    public const int SpecErrors = 1;

    /// <summary>A spec file cannot be read (missing, unreadable).</summary>
    public const int Unreadable = 2;

    /// <summary>An unexpected failure inside the tool (a bug): reported on one line, no stack trace.</summary>
    public const int InternalError = 3;
}
