namespace Fusion.Runtime.Optim;

/// <summary>
/// torch.optim.lr_scheduler.ReduceLROnPlateau with threshold_mode 'rel': a metric better than
/// best * (1 - threshold) (mode min; best * (1 + threshold) for max) resets the count of bad epochs;
/// more than <see cref="Patience"/> bad epochs multiply every rate by <see cref="Factor"/> (not below
/// <see cref="MinLearningRate"/>; changes smaller than 1e-8 are skipped) and start a cooldown.
/// </summary>
public sealed class ReduceLROnPlateau
{
    private const double Eps = 1e-8;

    public ReduceLROnPlateau(Optimizer optimizer, bool maximize = false, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, int cooldown = 0, double minLearningRate = 0)
    {
        if (factor >= 1.0 || factor <= 0) throw new ArgumentOutOfRangeException(nameof(factor), "Factor must be in (0, 1).");
        Optimizer = optimizer;
        Maximize = maximize;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
        Best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
    }

    public Optimizer Optimizer { get; }
    public bool Maximize { get; }
    public double Factor { get; }
    public int Patience { get; }
    public double Threshold { get; }
    public int Cooldown { get; }
    public double MinLearningRate { get; }
    public double Best { get; private set; }
    public int BadEpochs { get; private set; }
    public int CooldownLeft { get; private set; }

    /// <summary>Restores the counters saved from <see cref="Best"/>, <see cref="BadEpochs"/> and <see cref="CooldownLeft"/> (resuming from a checkpoint).</summary>
    public void Resume(double best, int badEpochs, int cooldownLeft)
    {
        Best = best;
        BadEpochs = badEpochs;
        CooldownLeft = cooldownLeft;
    }

    /// <summary>Reports this epoch's metric; returns true when the rates were reduced.</summary>
    public bool Step(double metric)
    {
        if (IsBetter(metric))
        {
            Best = metric;
            BadEpochs = 0;
        }
        else BadEpochs++;

        if (CooldownLeft > 0)
        {
            CooldownLeft--;
            BadEpochs = 0;
        }

        if (BadEpochs <= Patience) return false;
        bool reduced = false;
        foreach (var g in Optimizer.ParamGroups)
        {
            double old = g.LearningRate;
            double next = Math.Max(old * Factor, MinLearningRate);
            if (old - next > Eps)
            {
                g.LearningRate = (float)next;
                reduced = true;
            }
        }
        CooldownLeft = Cooldown;
        BadEpochs = 0;
        return reduced;
    }

    private bool IsBetter(double metric) =>
        Maximize ? metric > Best * (1 + Threshold) : metric < Best * (1 - Threshold);
}
