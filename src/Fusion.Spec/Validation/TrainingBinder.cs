using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>Reads the <c>training</c> section; every default filled in.</summary>
internal static class TrainingBinder
{
    private static readonly string[] Keys = ["optimizer", "lr_groups", "schedule", "epochs", "batch_size", "seed", "early_stopping", "clip_grad_norm"];
    private static readonly string[] OptimizerKeys = ["type", "lr", "weight_decay", "betas", "momentum", "nesterov"];
    private static readonly string[] OptimizerTypes = ["sgd", "adam", "adamw"];
    private static readonly string[] ScheduleTypes = ["none", "step", "cosine", "warmup", "plateau"];
    private static readonly string[] Metrics = ["val_loss", "val_accuracy", "val_mae"];

    /// <summary>The settings, or null after reporting errors. <paramref name="groups"/> are the parameter groups in use.</summary>
    public static TrainingSpec? Bind(BindContext context, DocEntry entry, IReadOnlyCollection<string> groups)
    {
        var mapNode = ValueReader.Map(context, entry.Value, "training");
        if (mapNode is null)
        {
            return null;
        }

        var map = new MapReader(context, mapNode, "'training'", Keys, entry.Key.Location);
        var optimizer = map.Get("optimizer") is { } o ? Optimizer(context, o, map.Source.Find("optimizer")!.Key.Location) : OptimizerSpec.Default;
        var lrGroups = map.Get("lr_groups") is { } g ? LrGroups(context, g, groups, map.Source.Find("lr_groups")!.Key.Location) : [];
        var epochs = map.Int("epochs", 10);
        var schedule = map.Get("schedule") is { } s ? Schedule(context, s, epochs ?? 10, map.Source.Find("schedule")!.Key.Location) : ScheduleSpec.None;
        var batchSize = map.Int("batch_size", 32);
        var seed = map.Int("seed", 0, ValueRange.NonNegative);
        EarlyStoppingSpec? early = null;
        bool earlyOk = true;
        if (map.Get("early_stopping") is { } e)
        {
            early = EarlyStopping(context, e, map.Source.Find("early_stopping")!.Key.Location);
            earlyOk = early is not null;
        }

        var clip = map.Number("clip_grad_norm", null);
        if (optimizer is null || lrGroups is null || epochs is null || schedule is null || batchSize is null || seed is null || !earlyOk
            || (map.Has("clip_grad_norm") && clip is null))
        {
            return null;
        }

        return new TrainingSpec(optimizer, lrGroups.ToEquatableArray(), schedule, epochs.Value, batchSize.Value, seed.Value, early, clip);
    }

    private static OptimizerSpec? Optimizer(BindContext context, DocNode node, SourceLocation owner)
    {
        var mapNode = ValueReader.Map(context, node, "optimizer", "a map such as { type: adam, lr: 1.0e-3 }");
        if (mapNode is null)
        {
            return null;
        }

        var map = new MapReader(context, mapNode, "'optimizer'", OptimizerKeys, owner);
        var typeText = map.Enum("type", "adam", "optimizer type", OptimizerTypes);
        var type = typeText switch { "sgd" => OptimizerType.Sgd, "adamw" => OptimizerType.AdamW, _ => OptimizerType.Adam };
        var lr = map.Number("lr", 1e-3);
        var decay = map.Number("weight_decay", type == OptimizerType.AdamW ? 0.01 : 0, ValueRange.NonNegative);
        var momentum = map.Number("momentum", 0, ValueRange.Probability);
        var nesterov = map.Bool("nesterov", false);
        List<double>? betas = [0.9, 0.999];
        if (map.Get("betas") is { } betasNode)
        {
            betas = ValueReader.NumberList(context, betasNode, "betas", ValueRange.Probability);
            if (betas is not null && betas.Count != 2)
            {
                context.Report(DiagnosticDescriptors.WrongTypeOf(betasNode.Location, "betas", "a list of two numbers [beta1, beta2]", betasNode.Describe()));
                betas = null;
            }
        }

        if (typeText is null || lr is null || decay is null || momentum is null || nesterov is null || betas is null)
        {
            return null;
        }

        return new OptimizerSpec(type, lr.Value, decay.Value, betas[0], betas[1], momentum.Value, nesterov.Value);
    }

    private static List<LearningRateGroup>? LrGroups(BindContext context, DocNode node, IReadOnlyCollection<string> groups, SourceLocation owner)
    {
        var mapNode = ValueReader.Map(context, node, "lr_groups", "a map from parameter group to learning rate");
        if (mapNode is null)
        {
            return null;
        }

        var map = new MapReader(context, mapNode, "'lr_groups' (the parameter groups of this spec)", groups, owner);
        var result = new List<LearningRateGroup>();
        bool ok = true;
        foreach (var entry in mapNode.Entries)
        {
            if (!groups.Contains(entry.Key.Text))
            {
                ok = false;
                continue;
            }

            var lr = ValueReader.Number(context, entry.Value, entry.Key.Text, ValueRange.Positive);
            ok &= lr is not null;
            if (lr is not null && result.All(r => r.Group != entry.Key.Text))
            {
                result.Add(new LearningRateGroup(entry.Key.Text, lr.Value));
            }
        }

        return ok ? result : null;
    }

    private static ScheduleSpec? Schedule(BindContext context, DocNode node, int epochs, SourceLocation owner)
    {
        var mapNode = ValueReader.Map(context, node, "schedule", "a map such as { type: plateau, patience: 5, factor: 0.8 }");
        if (mapNode is null)
        {
            return null;
        }

        var typeNode = mapNode.Find("type")?.Value;
        string? typeText = typeNode is null ? null : ValueReader.Enum(context, typeNode, "type", "schedule type", ScheduleTypes);
        if (typeNode is null)
        {
            context.Report(DiagnosticDescriptors.Missing(owner, "type", "'schedule'"));
        }

        string[] keys = typeText switch
        {
            "step" => ["type", "step_size", "gamma"],
            "cosine" => ["type", "t_max"],
            "warmup" => ["type", "steps"],
            "plateau" => ["type", "patience", "factor"],
            "none" => ["type"],
            _ => ["type", "step_size", "gamma", "t_max", "steps", "patience", "factor"],
        };

        var map = new MapReader(context, mapNode, typeText is null ? "'schedule'" : $"schedule '{typeText}'", keys, owner);
        switch (typeText)
        {
            case "none":
                return ScheduleSpec.None;
            case "step":
            {
                var stepSize = map.Int("step_size", null, required: true);
                var gamma = map.Number("gamma", 0.1);
                return stepSize is null || gamma is null ? null : new ScheduleSpec(ScheduleType.Step, StepSize: stepSize, Gamma: gamma);
            }

            case "cosine":
            {
                var tMax = map.Int("t_max", epochs);
                return tMax is null ? null : new ScheduleSpec(ScheduleType.Cosine, TMax: tMax);
            }

            case "warmup":
            {
                var steps = map.Int("steps", null, required: true);
                return steps is null ? null : new ScheduleSpec(ScheduleType.Warmup, Steps: steps);
            }

            case "plateau":
            {
                var patience = map.Int("patience", 10);
                var factor = map.Number("factor", 0.1, ValueRange.Probability);
                if (factor is 0)
                {
                    context.Report(DiagnosticDescriptors.NotInRange(map.LocationOf("factor"), "factor", "0", "in (0, 1)"));
                    factor = null;
                }

                return patience is null || factor is null ? null : new ScheduleSpec(ScheduleType.Plateau, Patience: patience, Factor: factor);
            }

            default:
                return null;
        }
    }

    private static EarlyStoppingSpec? EarlyStopping(BindContext context, DocNode node, SourceLocation owner)
    {
        var mapNode = ValueReader.Map(context, node, "early_stopping", "a map such as { patience: 5, metric: val_loss }");
        if (mapNode is null)
        {
            return null;
        }

        var map = new MapReader(context, mapNode, "'early_stopping'", ["patience", "metric"], owner);
        var patience = map.Int("patience", 5);
        var metric = map.Enum("metric", "val_loss", "early-stopping metric", Metrics);
        return patience is null || metric is null ? null : new EarlyStoppingSpec(patience.Value, metric);
    }
}
