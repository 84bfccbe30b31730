using System;
using System.Collections.Generic;
using System.Linq;
using Fusion.Generators.Model;
using Fusion.Generators.Parsing;
using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;

namespace Fusion.Generators.Documents;

/// <summary>
/// A <see cref="ModelDeclaration"/> -> the spec document a YAML file would give: the same maps,
/// lists and scalars, each at the source location of the attribute argument it came from, so the
/// binder checks attributes exactly as it checks YAML. A named argument is the key of the same
/// name in snake_case; the exceptions are listed in this class.
/// </summary>
internal sealed class AttributeDocumentBuilder
{
    private readonly ModelDeclaration model;
    private readonly LocationTable locations;

    private AttributeDocumentBuilder(ModelDeclaration model)
    {
        this.model = model;
        locations = new LocationTable(model.ClassLocation);
    }

    public static (DocMap Root, LocationTable Locations) Build(ModelDeclaration model)
    {
        var builder = new AttributeDocumentBuilder(model);
        return (builder.BuildRoot(), builder.locations);
    }

    private DocMap BuildRoot()
    {
        var classAt = locations.Add(model.ClassLocation);
        var entries = new List<DocEntry> { new(new DocScalar("model", false, classAt), new DocScalar(model.ClassName, false, classAt)) };

        var namespaceArgument = Attributes("FusionModel").SelectMany(a => a.Named).FirstOrDefault(a => a.Name == "Namespace");
        if (namespaceArgument is not null)
        {
            entries.Add(Entry("namespace", namespaceArgument));
        }
        else if (model.Namespace is not null)
        {
            entries.Add(new DocEntry(new DocScalar("namespace", false, classAt), new DocScalar(model.Namespace, false, classAt)));
        }

        AddSection(entries, "modalities", "Modality", a => Map(a, Prefix(("shape", a.ConstructorArgument(1))), Named(a, SpecWords.SnakeCase)));
        AddSection(entries, "encoders", "Encoder", NodeMap);
        if (Attributes("Context").FirstOrDefault() is { } context)
        {
            entries.Add(new DocEntry(Key("context", context.Location), Map(context, [], Named(context, SpecWords.SnakeCase))));
        }

        AddSection(entries, "fusion", "FusionNode", NodeMap);
        AddSection(entries, "heads", "Head", a => Map(a, Prefix(("type", a.ConstructorArgument(1))), Named(a, SpecWords.SnakeCase)));

        var losses = Attributes("Loss").ToList();
        if (losses.Count > 0)
        {
            var items = losses.Select(a => (DocNode)Map(a, Prefix(("type", a.ConstructorArgument(0))), Named(a, SpecWords.SnakeCase))).ToList();
            entries.Add(new DocEntry(Key("losses", losses[0].Location), new DocList(items, locations.Add(losses[0].Location))));
        }

        if (TrainingMap() is { } training)
        {
            entries.Add(training);
        }

        if (Attributes("Data").FirstOrDefault() is { } data)
        {
            entries.Add(new DocEntry(Key("data", data.Location), Map(data, Prefix(("type", data.ConstructorArgument(0))), Named(data, SpecWords.SnakeCase))));
        }

        return new DocMap(entries, classAt);
    }

    private IEnumerable<AttributeInfo> Attributes(string name) => model.Attributes.Where(a => a.Name == name);

    /// <summary>A section map: one entry per attribute, keyed by its first constructor argument (the name).</summary>
    private void AddSection(List<DocEntry> entries, string key, string attribute, Func<AttributeInfo, DocMap> value)
    {
        var declared = Attributes(attribute).ToList();
        if (declared.Count == 0)
        {
            return;
        }

        var section = declared.Select(a => new DocEntry(NameKey(a), value(a))).ToList();
        entries.Add(new DocEntry(Key(key, declared[0].Location), new DocMap(section, locations.Add(declared[0].Location))));
    }

    private DocMap NodeMap(AttributeInfo node) =>
        Map(node, Prefix(("op", node.ConstructorArgument(1))), Named(node, name => name switch
        {
            // gru, lstm and misa take one width as 'hidden'; mlp takes a list under the same key.
            "HiddenSize" => "hidden",
            _ => SpecWords.SnakeCase(name),
        }));

    private DocEntry? TrainingMap()
    {
        var training = Attributes("Training").FirstOrDefault();
        var groups = Attributes("LearningRate").ToList();
        if (training is null && groups.Count == 0)
        {
            return null;
        }

        var named = training?.Named ?? default;
        var entries = new List<DocEntry>();
        AddGroup(entries, "optimizer", named, ("Optimizer", "type"), ("Lr", "lr"), ("WeightDecay", "weight_decay"), ("Betas", "betas"), ("Momentum", "momentum"), ("Nesterov", "nesterov"));
        if (groups.Count > 0)
        {
            var rates = groups.Select(g => new DocEntry(NameKey(g), Value(g.ConstructorArgument(1)?.Value, g.Location))).ToList();
            entries.Add(new DocEntry(Key("lr_groups", groups[0].Location), new DocMap(rates, locations.Add(groups[0].Location))));
        }

        AddGroup(entries, "schedule", named, ("Schedule", "type"), ("StepSize", "step_size"), ("Gamma", "gamma"), ("TMax", "t_max"), ("WarmupSteps", "steps"), ("SchedulePatience", "patience"), ("ScheduleFactor", "factor"));
        foreach (var name in new[] { "Epochs", "BatchSize", "Seed" })
        {
            if (named.FirstOrDefault(a => a.Name == name) is { } argument)
            {
                entries.Add(Entry(SpecWords.SnakeCase(name), argument));
            }
        }

        if (!AddGroup(entries, "early_stopping", named, ("EarlyStoppingPatience", "patience"), ("EarlyStoppingMetric", "metric"))
            && named.FirstOrDefault(a => a.Name == "EarlyStopping") is { Value.Text: "true" } enabled)
        {
            entries.Add(new DocEntry(Key("early_stopping", enabled.NameLocation), new DocMap([], locations.Add(enabled.Value.Location))));
        }

        if (named.FirstOrDefault(a => a.Name == "ClipGradNorm") is { } clip)
        {
            entries.Add(Entry("clip_grad_norm", clip));
        }

        var at = training?.Location ?? groups[0].Location;
        return new DocEntry(Key("training", at), new DocMap(entries, locations.Add(at)));
    }

    /// <summary>A nested map of the named arguments that belong to it (<c>Lr</c> -> <c>optimizer.lr</c>); none written, no map.</summary>
    private bool AddGroup(List<DocEntry> entries, string key, IReadOnlyList<ArgumentInfo> named, params (string Argument, string Key)[] members)
    {
        var group = new List<DocEntry>();
        LocationInfo? first = null;
        foreach (var argument in named)
        {
            foreach (var member in members)
            {
                if (member.Argument == argument.Name)
                {
                    first ??= argument.NameLocation;
                    group.Add(Entry(member.Key, argument));
                }
            }
        }

        if (first is null)
        {
            return false;
        }

        entries.Add(new DocEntry(Key(key, first), new DocMap(group, locations.Add(first))));
        return true;
    }

    private static IEnumerable<(string Key, ArgumentInfo? Argument)> Prefix(params (string Key, ArgumentInfo? Argument)[] entries) => entries;

    private static IEnumerable<(string Key, ArgumentInfo? Argument)> Named(AttributeInfo attribute, Func<string, string> key) =>
        attribute.Named.Select(a => (key(a.Name), (ArgumentInfo?)a));

    private DocMap Map(AttributeInfo attribute, IEnumerable<(string Key, ArgumentInfo? Argument)> prefix, IEnumerable<(string Key, ArgumentInfo? Argument)> named)
    {
        var entries = new List<DocEntry>();
        foreach (var (key, argument) in prefix.Concat(named))
        {
            if (argument is not null)
            {
                entries.Add(Entry(key, argument));
            }
        }

        return new DocMap(entries, locations.Add(attribute.Location));
    }

    private DocEntry Entry(string key, ArgumentInfo argument)
    {
        var value = key switch
        {
            "edges" => Edges(argument.Value),
            "columns" => Columns(argument.Value),
            _ => Value(argument.Value, argument.NameLocation),
        };

        return new DocEntry(Key(key, argument.NameLocation), value);
    }

    /// <summary>The entry key of a section item: the attribute's first constructor argument (the name).</summary>
    private DocScalar NameKey(AttributeInfo attribute)
    {
        var name = attribute.ConstructorArgument(0);
        return new DocScalar(name?.Value.Text ?? string.Empty, false, locations.Add(name?.Value.Location ?? attribute.Location));
    }

    private DocScalar Key(string key, LocationInfo at) => new(key, false, locations.Add(at));

    private DocNode Value(ArgumentValue? value, LocationInfo fallback)
    {
        if (value is null)
        {
            return new DocScalar(string.Empty, false, locations.Add(fallback));
        }

        var at = locations.Add(value.Location);
        return value.Kind switch
        {
            ArgumentValueKind.List => new DocList(value.Items.Select(i => Value(i, value.Location)).ToList(), at),
            ArgumentValueKind.Quoted => new DocScalar(value.Text, true, at),
            ArgumentValueKind.Plain => new DocScalar(value.Text, false, at),
            _ => new DocScalar(string.Empty, false, at),
        };
    }

    /// <summary><c>Edges = ["a-b", "b-c"]</c> -> <c>[[a, b], [b, c]]</c>.</summary>
    private DocNode Edges(ArgumentValue value)
    {
        if (value.Kind != ArgumentValueKind.List)
        {
            return Value(value, value.Location);
        }

        var pairs = value.Items.Select(item =>
        {
            if (item.Kind != ArgumentValueKind.Quoted)
            {
                return Value(item, item.Location);
            }

            var at = locations.Add(item.Location);
            return new DocList(item.Text.Split('-').Select(part => (DocNode)new DocScalar(part.Trim(), true, at)).ToList(), at);
        }).ToList();
        return new DocList(pairs, locations.Add(value.Location));
    }

    /// <summary><c>Columns = ["text=t0:t299", "label=y"]</c> -> <c>{ text: t0:t299, label: y }</c>.</summary>
    private DocNode Columns(ArgumentValue value)
    {
        if (value.Kind != ArgumentValueKind.List)
        {
            return Value(value, value.Location);
        }

        var entries = value.Items.Select(item =>
        {
            var at = locations.Add(item.Location);
            int equals = item.Text.IndexOf('=');
            return equals < 0
                ? new DocEntry(new DocScalar(item.Text, false, at), new DocScalar(string.Empty, false, at))
                : new DocEntry(new DocScalar(item.Text.Substring(0, equals).Trim(), false, at), new DocScalar(item.Text.Substring(equals + 1).Trim(), true, at));
        }).ToList();
        return new DocMap(entries, locations.Add(value.Location));
    }
}
