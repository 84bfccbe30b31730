namespace Fusion.Runtime.Optim;

/// <summary>
/// Base of the epoch (or step) based learning-rate schedules, after torch.optim.lr_scheduler:
/// construction sets epoch 0's rate, each <see cref="Step"/> advances one epoch and sets the
/// rate of every group from its initial rate in closed form.
/// </summary>
public abstract class LrScheduler
{
    protected LrScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
        Apply();
    }

    public Optimizer Optimizer { get; }

    /// <summary>Number of <see cref="Step"/> calls so far (PyTorch's <c>last_epoch</c>).</summary>
    public int Epoch { get; private set; }

    /// <summary>Jumps to <paramref name="epoch"/> (resuming from a checkpoint) and sets that epoch's rates.</summary>
    public void Resume(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        Epoch = epoch;
        Apply();
    }

    public void Step()
    {
        Epoch++;
        Apply();
    }

    /// <summary>The current learning rate of each group.</summary>
    public float[] LastLearningRates() => Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

    /// <summary>The learning rate at <paramref name="epoch"/> for a group that started at <paramref name="initial"/>.</summary>
    protected abstract double LearningRateAt(double initial, int epoch);

    private void Apply()
    {
        foreach (var g in Optimizer.ParamGroups) g.LearningRate = (float)LearningRateAt(g.InitialLearningRate, Epoch);
    }
}
