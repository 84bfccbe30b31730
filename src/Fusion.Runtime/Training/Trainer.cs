using System.Globalization;
using Fusion.Runtime.Data;
using Fusion.Runtime.Models;
using Fusion.Runtime.Nn;
using Fusion.Runtime.Optim;

namespace Fusion.Runtime.Training;

/// <summary>
/// Trains any <see cref="FusionModel"/> through its untyped bridge with the training settings of
/// its <see cref="ModelDescriptor"/>: the spec's optimiser with per-group learning rates, schedule,
/// gradient clipping, epochs and batch size. Deterministic: the batches are shuffled by one
/// <see cref="RandomSource"/> from the seed (the model is initialised by its creator, from the
/// same seed by convention), so one seed gives the same metrics bit for bit. Each step runs inside
/// a <see cref="Tensor.NewScope"/>. After each epoch the validation metrics are computed
/// (<see cref="Evaluator"/>), the epoch is reported and logged, and when the selection metric (the
/// early-stopping metric, else <c>val_loss</c>, else <c>train_loss</c> without validation data)
/// improves the weights are kept and written as the best checkpoint. After each epoch the whole
/// state is written to <c>last.safetensors</c>, from which <see cref="TrainerOptions.ResumeFrom"/>
/// continues the run. At the end the model holds the best epoch's weights.
/// <para>
/// A model with an <see cref="FusionModel.Adversarial"/> scheme (GAN-Fusion) gets a second
/// optimiser of the same type and learning rates (per group, with its own copy of the schedule)
/// over the adversaries' parameters, which the first one leaves out. Each batch then runs one
/// forward pass, every adversary step in order (its loss, backward, gradient clipping over the
/// adversaries' parameters, the second optimiser's step; gradients that reach the model's own
/// parameters are dropped), and last the model's own step on its loss (the adversaries'
/// gradients from it are dropped). The adversary terms are logged after the model's own
/// (<c>train_&lt;term&gt;</c>); <c>train_loss</c> stays the model's own loss. The resume state holds
/// both optimisers.
/// </para>
/// </summary>
public sealed class Trainer
{
    private readonly FusionModel model;
    private readonly TrainerOptions options;

    public Trainer(FusionModel model, TrainerOptions? options = null)
    {
        this.model = model;
        this.options = options ?? new TrainerOptions();
    }

    public TrainingResult Fit(Dataset train, Dataset? validation)
    {
        var settings = model.Descriptor.Training;
        int epochs = options.Epochs ?? settings.Epochs;
        int seed = options.Seed ?? settings.Seed;
        if (epochs <= 0) throw new TrainingException($"epochs must be positive (got {epochs})");
        if (train.Count == 0) throw new TrainingException("the training split is empty");
        bool hasValidation = validation is { Count: > 0 };
        if (settings.EarlyStopping is not null && !hasValidation)
            throw new TrainingException($"early stopping on '{settings.EarlyStopping.Metric}' needs validation data, and the validation split is empty");

        var stopping = new EarlyStopping(settings.EarlyStopping?.Metric ?? (hasValidation ? "val_loss" : "train_loss"), settings.EarlyStopping?.Patience);
        var scheme = model.Adversarial;
        var (optimizer, groupNames) = OptimizerFactory.Create(model, settings, scheme is null ? null : key => !scheme.IsAdversaryParameter(key));
        var schedule = new Schedule(optimizer, settings.Schedule, epochs);
        var parameters = optimizer.ParamGroups.SelectMany(g => g.Parameters).ToArray();
        Adversary? adversary = null;
        if (scheme is not null)
        {
            var adversaryOptimizer = OptimizerFactory.Create(model, settings, scheme.IsAdversaryParameter).Optimizer;
            adversary = new Adversary(scheme, adversaryOptimizer, new Schedule(adversaryOptimizer, settings.Schedule, epochs),
                adversaryOptimizer.ParamGroups.SelectMany(g => g.Parameters).ToArray());
        }

        int batchSize = Math.Min(settings.BatchSize, train.Count);
        // A last batch of one sample breaks batch norm and contrastive losses: drop it then.
        bool dropLast = train.Count > batchSize && train.Count % batchSize == 1;
        var random = new RandomSource(seed);
        using var loader = new DataLoader(train, batchSize, shuffle: true, random: random, dropLast: dropLast);
        var history = new List<EpochMetrics>();
        OrderedDictionary<string, (float[] Values, int[] Shape)>? best = null;
        bool stoppedEarly = false;
        int first = 1;
        if (options.ResumeFrom is { } resumePath)
        {
            var (state, saved) = TrainingState.Load(resumePath, model, optimizer, options.CheckpointMetadata, adversary?.Optimizer);
            random.SetState(state.RandomState);
            stopping.Resume(state.Best, state.BestEpoch, state.BadEpochs);
            schedule.Resume(state.Schedule);
            adversary?.Schedule.Resume(state.Schedule);
            best = saved.Count > 0 ? saved : null;
            first = state.Epoch + 1;
        }

        string? metricsPath = null;
        string? checkpointPath = null;
        string? statePath = null;
        if (options.OutputDirectory is { } folder)
        {
            Directory.CreateDirectory(folder);
            metricsPath = Path.Combine(folder, TrainerOptions.MetricsFile);
            // A resumed run keeps the lines of the epochs it continues from.
            var kept = first > 1 && File.Exists(metricsPath) ? File.ReadLines(metricsPath).Take(first - 1).Select(l => l + "\n") : [];
            File.WriteAllText(metricsPath, string.Concat(kept));
            checkpointPath = Path.Combine(folder, TrainerOptions.CheckpointFile);
            statePath = Path.Combine(folder, TrainerOptions.StateFile);
        }

        for (int epoch = first; epoch <= epochs; epoch++)
        {
            var rates = new Dictionary<string, double>();
            // The float rate as its shortest decimal (0.001, not 0.0010000000474974513).
            for (int g = 0; g < groupNames.Count; g++)
                rates[groupNames[g]] = double.Parse(optimizer.ParamGroups[g].LearningRate.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

            var (trainLoss, trainTerms) = RunEpoch(loader, optimizer, schedule, parameters, adversary, settings.ClipGradNorm, epoch, epochs);
            var validationMetrics = hasValidation
                ? Evaluator.Evaluate(model, validation!, settings.BatchSize).WithPrefix("val_")
                : new Dictionary<string, double>();
            var metrics = new EpochMetrics(epoch, rates, trainLoss, trainTerms, validationMetrics);
            history.Add(metrics);
            if (metricsPath is not null) MetricsLog.Append(metricsPath, metrics);
            options.EpochEnd?.Invoke(metrics);

            var all = metrics.All();
            var value = stopping.Read(all)
                ?? throw new TrainingException($"the early-stopping metric '{stopping.Metric}' is not among this model's metrics ({string.Join(", ", all.Keys)})");
            if (stopping.Observe(epoch, value))
            {
                best = Snapshot();
                if (checkpointPath is not null) SaveCheckpoint(checkpointPath, epoch, stopping.Metric, value);
            }

            double observed = all.TryGetValue("val_loss", out var valLoss) ? valLoss : trainLoss;
            schedule.AfterEpoch(observed);
            adversary?.Schedule.AfterEpoch(observed);
            if (statePath is not null)
            {
                new TrainingState(epoch, random.GetState(), stopping.Best, stopping.BestEpoch, stopping.BadEpochs, schedule.State(), options.CheckpointMetadata ?? new Dictionary<string, string>())
                    .Save(statePath, model, best ?? [], optimizer, adversary?.Optimizer);
            }

            if (stopping.ShouldStop && epoch < epochs)
            {
                stoppedEarly = true;
                break;
            }
        }

        if (best is not null) Restore(best);
        return new TrainingResult(history, stopping.Metric, stopping.BestEpoch, stopping.Best, stoppedEarly, best is null ? null : checkpointPath);
    }

    private (double Loss, Dictionary<string, double> Terms) RunEpoch(
        DataLoader loader, Optimizer optimizer, Schedule schedule, Tensor[] parameters, Adversary? adversary, double? clip, int epoch, int epochs)
    {
        model.Train();
        double lossSum = 0;
        var termSums = new Dictionary<string, double>();
        var adversaryTermSums = new Dictionary<string, double>();   // logged after the model's own terms
        int samples = 0;
        int index = 0;
        int batches = loader.BatchCount;
        foreach (var batch in loader.Epoch())
        {
            index++;
            double loss;
            using (Tensor.NewScope())
            {
                var outputs = model.ForwardColumns(batch);
                if (adversary is not null)
                {
                    for (int step = 0; step < adversary.Scheme.StepCount; step++)
                    {
                        var adversaryLoss = adversary.Scheme.Step(step, outputs);
                        if (adversaryLoss is null) continue;
                        RequireFinite(adversaryLoss.Total.Item(), epoch, index);
                        foreach (var (name, value, _) in adversaryLoss.Terms)
                            adversaryTermSums[name] = adversaryTermSums.GetValueOrDefault(name) + value.Item() * (double)batch.Size;
                        adversaryLoss.Total.Backward();
                        if (clip is double adversaryMaxNorm) GradientClipping.ClipGradNorm(adversary.Parameters, (float)adversaryMaxNorm);
                        adversary.Optimizer.Step();
                        adversary.Optimizer.ZeroGrad();
                        optimizer.ZeroGrad();
                    }
                }

                var breakdown = model.LossColumns(outputs, batch);
                loss = breakdown.Total.Item();
                RequireFinite(loss, epoch, index);
                foreach (var (name, value, _) in breakdown.Terms)
                {
                    termSums[name] = termSums.GetValueOrDefault(name) + value.Item() * (double)batch.Size;
                }

                breakdown.Total.Backward();
                if (clip is double maxNorm) GradientClipping.ClipGradNorm(parameters, (float)maxNorm);
                optimizer.Step();
                optimizer.ZeroGrad();
                adversary?.Optimizer.ZeroGrad();
            }

            schedule.AfterStep();
            adversary?.Schedule.AfterStep();
            lossSum += loss * batch.Size;
            samples += batch.Size;
            options.Progress?.Invoke(new TrainingProgress(epoch, epochs, index, batches, loss));
        }

        foreach (var (name, sum) in adversaryTermSums)
        {
            if (!termSums.TryAdd(name, sum)) throw new TrainingException($"the adversary term '{name}' has the name of one of the model's loss terms");
        }

        return (lossSum / samples, termSums.ToDictionary(t => t.Key, t => t.Value / samples));
    }

    private static void RequireFinite(double loss, int epoch, int batch)
    {
        if (!double.IsFinite(loss))
            throw new TrainingException($"the loss is not finite ({loss.ToString(CultureInfo.InvariantCulture)}) at epoch {epoch}, batch {batch}; lower the learning rate or clip gradients");
    }

    private OrderedDictionary<string, (float[] Values, int[] Shape)> Snapshot()
    {
        var copy = new OrderedDictionary<string, (float[], int[])>();
        foreach (var (key, tensor) in model.StateDict()) copy.Add(key, (tensor.ToArray(), tensor.Shape.ToArray()));
        return copy;
    }

    private void Restore(OrderedDictionary<string, (float[] Values, int[] Shape)> snapshot)
    {
        using var scope = Tensor.NewScope();
        var dict = new Dictionary<string, Tensor>();
        foreach (var (key, (values, shape)) in snapshot)
            dict[key] = shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape);
        using (Tensor.NoGrad()) model.LoadStateDict(dict);
    }

    private void SaveCheckpoint(string path, int epoch, string metric, double value)
    {
        var metadata = new Dictionary<string, string>();
        if (options.CheckpointMetadata is { } extra)
            foreach (var (k, v) in extra) metadata[k] = v;
        metadata["epoch"] = epoch.ToString(CultureInfo.InvariantCulture);
        metadata[metric] = value.ToString("R", CultureInfo.InvariantCulture);
        ModuleCheckpoint.Save(model, path, metadata);
    }

    /// <summary>An adversarial model's second optimiser, its schedule and its parameters (for clipping).</summary>
    private sealed record Adversary(AdversarialScheme Scheme, Optimizer Optimizer, Schedule Schedule, Tensor[] Parameters);
}
