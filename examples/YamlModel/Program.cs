namespace YamlModel;

/// <summary><c>YamlModel [--epochs N]</c>: trains <see cref="Models.ScoreModel"/> (from model.fusion.yaml) and prints its metrics.</summary>
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
                Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: YamlModel [--epochs N]");
                return 2;
            }
        }

        ModelTraining.Run(new Models.ScoreModel(new Fusion.Runtime.RandomSource(Models.ScoreModel.Spec.Training.Seed)), epochs, Console.Out);
        return 0;
    }
}
