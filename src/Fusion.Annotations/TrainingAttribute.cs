using System;

namespace Fusion.Annotations;

/// <summary>
/// The <c>training</c> section. <c>Optimizer</c>, <c>Lr</c>, <c>WeightDecay</c>, <c>Betas</c>,
/// <c>Momentum</c>, <c>Nesterov</c> form <c>optimizer</c>; <c>Schedule</c> and the <c>Schedule*</c>,
/// <c>StepSize</c>, <c>Gamma</c>, <c>TMax</c>, <c>WarmupSteps</c> arguments form <c>schedule</c>;
/// <c>EarlyStopping*</c> form <c>early_stopping</c>. Per-group rates: <see cref="LearningRateAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TrainingAttribute : Attribute
{
    /// <summary><c>optimizer.type</c>.</summary>
    public OptimizerType Optimizer { get; set; }

    /// <summary><c>optimizer.lr</c>.</summary>
    public double Lr { get; set; }

    /// <summary><c>optimizer.weight_decay</c>.</summary>
    public double WeightDecay { get; set; }

    /// <summary><c>optimizer.betas</c>: two numbers.</summary>
    public double[]? Betas { get; set; }

    /// <summary><c>optimizer.momentum</c>.</summary>
    public double Momentum { get; set; }

    /// <summary><c>optimizer.nesterov</c>.</summary>
    public bool Nesterov { get; set; }

    /// <summary><c>schedule.type</c>.</summary>
    public ScheduleType Schedule { get; set; }

    /// <summary><c>schedule.step_size</c> (step).</summary>
    public int StepSize { get; set; }

    /// <summary><c>schedule.gamma</c> (step).</summary>
    public double Gamma { get; set; }

    /// <summary><c>schedule.t_max</c> (cosine).</summary>
    public int TMax { get; set; }

    /// <summary><c>schedule.steps</c> (warmup).</summary>
    public int WarmupSteps { get; set; }

    /// <summary><c>schedule.patience</c> (plateau).</summary>
    public int SchedulePatience { get; set; }

    /// <summary><c>schedule.factor</c> (plateau).</summary>
    public double ScheduleFactor { get; set; }

    /// <summary><c>epochs</c>.</summary>
    public int Epochs { get; set; }

    /// <summary><c>batch_size</c>.</summary>
    public int BatchSize { get; set; }

    /// <summary><c>seed</c>.</summary>
    public int Seed { get; set; }

    /// <summary><c>early_stopping: {}</c>: early stopping with its defaults (set when no other <c>EarlyStopping*</c> argument is).</summary>
    public bool EarlyStopping { get; set; }

    /// <summary><c>early_stopping.patience</c>.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary><c>early_stopping.metric</c>.</summary>
    public StoppingMetric EarlyStoppingMetric { get; set; }

    /// <summary><c>clip_grad_norm</c>.</summary>
    public double ClipGradNorm { get; set; }
}
