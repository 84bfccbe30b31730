namespace AttributesModel;

/// <summary><c>AttributesModel [--epochs N]</c>: trains <see cref="SentimentModel"/> and prints its metrics.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int? epochs = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0)
            {
                epochs = n;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: AttributesModel [--epochs N]");
                return 2;
            }
        }

        SentimentTraining.Run(epochs, Console.Out);
        return 0;
    }
}
