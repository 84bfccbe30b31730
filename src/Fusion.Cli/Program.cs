namespace Fusion.Cli;

public static class Program
{
    public static int Main(string[] args) => FusionCli.Run(args, Console.Out, Console.Error);
}
