using Fusion.Compiler.Emit.Ops;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit;

/// <summary>
/// Reads a checked spec into a <see cref="ModelPlan"/>: identifiers, module constructions and the
/// expressions of <c>Forward</c> and <c>Loss</c>, in IR order. What the runtime cannot run yet
/// becomes a FUS200 diagnostic at its location.
/// </summary>
internal static class ModelParser
{
    private const string Rt = "global::Fusion.Runtime.";
    private const string Ops = "global::Fusion.Runtime.Operators.";
    private const string Nn = "global::Fusion.Runtime.Nn.";
    private const string LossFn = "global::Fusion.Runtime.Losses.Loss.";

    /// <summary>Members of the generated class and of its bases that a field may not hide.</summary>
    private static readonly string[] ClassMembers =
    {
        "Batch", "Output", "Spec", "Descriptor", "Forward", "Loss", "ForwardColumns", "LossColumns", "CheckBatch",
        "BuildSpec", "BuildDescriptor", "descriptor", "RequireTarget", "OneHot", "IsTraining", "RegisterParameter",
        "RegisterBuffer", "RegisterModule", "NamedChildren", "NamedModules", "NamedParameters", "NamedBuffers",
        "Parameters", "Buffers", "StateDict", "LoadStateDict", "Train", "Eval", "ZeroGrad", "ParameterCount",
        "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals", "generator",
    };

    public static ModelPlan Parse(FusionSpec spec)
    {
        var plan = new ModelPlan(spec);
        var members = new NameScope(ClassMembers.Concat(new[] { spec.Model }));
        var locals = new NameScope(new[] { "batch", "batchSize" });
        var batchProperties = new NameScope(new[] { "Batch", "FromColumns", "ToColumns" });
        var outputProperties = new NameScope(new[] { "Output", "FromColumns", "ToColumns" });
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lengths = new Dictionary<string, string>(StringComparer.Ordinal);

        if (spec.Context is { } context)
        {
            CbmfEmission.Context(plan, context, members, locals, values);
        }

        foreach (var m in spec.Modalities)
        {
            bool hasLengths = m.Kind is ModalityKind.Sequence or ModalityKind.Tokens;
            var modality = new ModalityPlan(
                m,
                batchProperties.Claim(Identifiers.Pascal(m.Name)),
                hasLengths ? batchProperties.Claim(Identifiers.Pascal(m.Name) + "Lengths") : null,
                locals.Claim(m.Name));
            plan.Modalities.Add(modality);
            values[m.Name] = modality.Local;
            if (modality.LengthsProperty is { } lp)
            {
                lengths[m.Name] = "batch." + lp;
            }
        }

        foreach (var head in spec.Heads)
        {
            if (head.Target is { } target && plan.Targets.All(t => t.Name != target))
            {
                plan.Targets.Add(new TargetPlan(target, batchProperties.Claim(Identifiers.Pascal(target)), head.Type, head.Size));
            }
        }

        foreach (var node in spec.Nodes)
        {
            ParseNode(plan, node, members, locals, values, lengths);
        }

        var headOutputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var head in spec.Heads)
        {
            string field = members.Claim(head.Name);
            string local = locals.Claim(head.Name);
            string constructor = $"{Ops}Heads.Create({head.Input.Shape.Width}, {CSharpLiterals.IntList(head.Hidden)}, {head.Size}, {CSharpLiterals.Float(head.Dropout)}, generator)";
            plan.Modules.Add(new ModulePlan(field, Nn + "Mlp", head.Name, constructor));
            plan.Forward.Add(new StatementPlan(local, $"this.{field}.Forward({Value(values, head.Input)})"));
            string property = outputProperties.Claim(Identifiers.Pascal(head.Name));
            plan.Outputs.Add(new OutputPlan(head.Name, property, local, OutputKind.Head));
            headOutputs[head.Name] = property;
        }

        var representations = new Dictionary<string, string>(StringComparer.Ordinal);
        string Represent(ValueReference reference)
        {
            if (reference.ProducerKind == ProducerKind.Head && headOutputs.TryGetValue(reference.Producer, out var headProperty))
            {
                return "output." + headProperty;
            }

            if (!representations.TryGetValue(reference.Text, out var property))
            {
                property = outputProperties.Claim(Identifiers.Pascal(reference.Text));
                representations[reference.Text] = property;
                plan.Outputs.Add(new OutputPlan(reference.Text, property, Value(values, reference), OutputKind.Representation));
            }

            return "output." + property;
        }

        foreach (var head in spec.Heads)
        {
            Represent(head.Input);
        }

        if (spec.Losses.Any(l => l.Type == LossType.Contrastive && l.Options.GetText("scale") == "learnable"))
        {
            plan.ScalesField = members.Claim("losses");
        }

        var lossLocals = new NameScope(new[] { "output", "batch" });
        foreach (var loss in spec.Losses)
        {
            ParseLoss(plan, spec, loss, lossLocals, headOutputs, Represent, outputProperties, values, lengths);
        }

        if (plan.Scales.Count > 0)
        {
            string adds = string.Concat(plan.Scales.Select(s => $".Add({CSharpLiterals.String(s.Name)}, {s.Constructor})"));
            plan.Modules.Add(new ModulePlan(plan.ScalesField, $"{Ops}ModuleDict<{Ops}ContrastiveScale>", "losses", $"new {Ops}ModuleDict<{Ops}ContrastiveScale>(){adds}"));
        }

        return plan;
    }

    private static string Value(Dictionary<string, string> values, ValueReference reference) =>
        values.TryGetValue(reference.Text, out var expression) ? expression : "default!";

    private static string Lengths(Dictionary<string, string> lengths, ValueReference reference) =>
        lengths.TryGetValue(reference.Text, out var expression) ? expression : "null";

    private static string Widths(NodeSpec node) =>
        "[" + string.Join(", ", node.Inputs.Select(i => $"new {Ops}InputWidth({CSharpLiterals.String(i.InputName)}, {i.Shape.Width})")) + "]";

    private static void ParseNode(
        ModelPlan plan,
        NodeSpec node,
        NameScope members,
        NameScope locals,
        Dictionary<string, string> values,
        Dictionary<string, string> lengths)
    {
        var a = node.Attributes;
        var inputs = node.Inputs.Select(i => Value(values, i)).ToList();
        string list = "[" + string.Join(", ", inputs) + "]";
        string width = node.Inputs.Count > 0 ? node.Inputs[0].Shape.Width.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0";
        string? type = null;
        string? constructor = null;
        string call;                                // the statement's expression; "this.FIELD" stands for the module
        string? valueSuffix = null;                 // how the node's value is read from its local
        bool keepLengths = false;                   // the output has the first input's lengths
        StatementPlan? extra = null;                // a statement after the node's own (conv1d: its output lengths)
        List<(string Key, string Suffix)>? sideValues = null;   // values a node loss reads (NodeEmission.SideValues)

        switch (node.Op)
        {
            case "identity":
                call = inputs[0];
                keepLengths = true;
                break;
            case "linear":
                type = Nn + "Linear";
                constructor = $"new {type}({width}, {a.GetInt("out")}, generator, bias: {CSharpLiterals.Bool(a.GetBool("bias"))})";
                call = $"this.FIELD.Forward({inputs[0]})";
                keepLengths = true;
                break;
            case "mlp":
                type = Nn + "Mlp";
                constructor = $"new {type}({width}, {CSharpLiterals.IntList(a.GetIntList("hidden"))}, {a.GetInt("out")}, generator, " +
                    $"{Nn}Activation.{ActivationName(a.GetText("activation"))}, {CSharpLiterals.Float(a.GetFloat("dropout"))}, " +
                    $"{Nn}MlpNorm.{Identifiers.Pascal(a.GetText("norm"))}, {CSharpLiterals.Bool(a.GetBool("final_activation"))})";
                call = $"this.FIELD.Forward({inputs[0]})";
                keepLengths = true;
                break;
            case "projection":
                type = Ops + "ProjectionHead";
                constructor = $"new {type}({width}, {a.GetInt("out")}, {CSharpLiterals.Float(a.GetFloat("dropout"))}, generator)";
                call = $"this.FIELD.Forward({inputs[0]})";
                keepLengths = true;
                break;
            case "embedding":
                type = Nn + "Embedding";
                constructor = $"new {type}({a.GetInt("vocab")}, {a.GetInt("dim")}, generator)";
                call = $"this.FIELD.Forward({inputs[0]})";
                keepLengths = true;
                break;
            case "gru":
            case "lstm":
                type = Nn + (node.Op == "gru" ? "Gru" : "Lstm");
                constructor = $"new {type}({width}, {a.GetInt("hidden")}, generator, numLayers: {a.GetInt("layers")}, " +
                    $"bidirectional: {CSharpLiterals.Bool(a.GetBool("bidirectional"))}, dropout: {CSharpLiterals.Float(a.GetFloat("dropout"))})";
                if (a.GetText("return") == "all")
                {
                    call = $"this.FIELD.Forward({inputs[0]}, {Lengths(lengths, node.Inputs[0])}).Output";
                    keepLengths = true;
                }
                else
                {
                    call = $"this.FIELD.LastLayerState(this.FIELD.Forward({inputs[0]}, {Lengths(lengths, node.Inputs[0])}).HiddenState)";
                }

                break;
            case "conv1d":
            {
                type = Nn + "Conv1d";
                int kernel = a.GetInt("kernel"), stride = a.GetInt("stride"), padding = a.GetInt("padding");
                constructor = $"new {type}({width}, {a.GetInt("channels")}, {kernel}, generator, stride: {stride}, padding: {padding})";
                string sourceLengths = Lengths(lengths, node.Inputs[0]);
                call = $"{Activate(a.GetText("activation"), $"{Rt}Tensor.Conv1d({inputs[0]}, this.FIELD.Weight, this.FIELD.Bias, {stride}, {padding}, {sourceLengths})")}";
                if (sourceLengths != "null")
                {
                    // the output's lengths, floor((L + 2p - k) / s) + 1, in a local of their own
                    string lengthsLocal = locals.Claim(node.Name + "_lengths");
                    string valid = locals.Claim(node.Name + "_valid");
                    extra = new StatementPlan(lengthsLocal, $"{sourceLengths} is {{ }} {valid} ? {Rt}Tensor.Conv1dLengths({valid}, {kernel}, {stride}, {padding}) : null");
                    lengths[node.Name] = lengthsLocal;
                }

                break;
            }

            case "conv2d":
                type = Nn + "Conv2d";
                constructor = $"new {type}({node.Inputs[0].Shape.Dims[0]}, {a.GetInt("channels")}, {a.GetInt("kernel")}, generator, " +
                    $"stride: {a.GetInt("stride")}, padding: {a.GetInt("padding")})";
                call = Activate(a.GetText("activation"), $"this.FIELD.Forward({inputs[0]})");
                break;
            case "transformer":
            {
                type = Nn + "TransformerEncoder";
                constructor = $"new {type}({a.GetInt("layers")}, {width}, {a.GetInt("heads")}, generator, feedForward: {a.GetInt("ff")}, " +
                    $"dropout: {CSharpLiterals.Float(a.GetFloat("dropout"))}, activation: {Nn}Activation.{ActivationName(a.GetText("activation"))}, " +
                    $"normFirst: {CSharpLiterals.Bool(a.GetBool("norm_first"))})";
                string x = a.GetText("positional") == "sinusoidal"
                    ? $"new {Nn}SinusoidalPositionalEncoding({width}).Forward({inputs[0]})"
                    : inputs[0];
                string sourceLengths = Lengths(lengths, node.Inputs[0]);
                string padding = "null";
                if (sourceLengths != "null")
                {
                    string valid = locals.Claim(node.Name + "_valid");
                    padding = $"{sourceLengths} is {{ }} {valid} ? {Nn}KeyPaddingMask.FromLengths({valid}) : null";
                }

                call = $"this.FIELD.Forward({x}, {padding})";
                keepLengths = true;
                break;
            }

            case "pool":
                type = Ops + "SequencePool";
                constructor = $"new {type}({Ops}PoolMode.{Identifiers.Pascal(a.GetText("mode"))})";
                call = $"this.FIELD.Forward({inputs[0]}, {Lengths(lengths, node.Inputs[0])})";
                break;
            case "concat":
                call = $"{Rt}Tensor.Concat(-1, {string.Join(", ", inputs)})";
                if (node.OutputKind == ModalityKind.Sequence)
                {
                    lengths[node.Name] = $"{Ops}SequenceLengths.Common({string.Join(", ", node.Inputs.Select(i => Lengths(lengths, i)))})";
                }

                break;
            case "late":
                type = Ops + "LateFusion";
                constructor = $"new {type}({Widths(node)}, {a.GetInt("out")}, {Ops}LateCombine.{Identifiers.Pascal(a.GetText("combine"))}, generator)";
                call = $"this.FIELD.Forward({list})";
                break;
            case "weighted":
                type = Ops + "WeightedSum";
                constructor = $"new {type}({node.Inputs.Count}, softmax: {CSharpLiterals.Bool(a.GetText("normalize") == "softmax")})";
                call = $"this.FIELD.Forward({list})";
                break;
            case "gmu":
                type = Ops + "GatedMultimodalUnit";
                constructor = $"new {type}({Widths(node)}, {a.GetInt("out")}, generator)";
                call = $"this.FIELD.Forward({list})";
                break;
            case "dynamic_gate":
                type = Ops + "DynamicGate";
                constructor = $"new {type}({Widths(node)}, {a.GetInt("out")}, generator)";
                call = $"this.FIELD.Forward({list})";
                break;
            case "tensor":
                type = Ops + "TensorFusion";
                constructor = $"new {type}()";
                call = $"this.FIELD.Forward({list})";
                break;
            case "lowrank":
                type = Ops + "LowRankFusion";
                constructor = $"new {type}({Widths(node)}, {a.GetInt("rank")}, {a.GetInt("out")}, generator)";
                call = $"this.FIELD.Forward({list})";
                break;
            case "mcb":
                type = Ops + "CompactBilinearPooling";
                constructor = $"new {type}({Widths(node)}, {a.GetInt("out")}, signedSqrt: {CSharpLiterals.Bool(a.GetBool("signed_sqrt"))}, " +
                    $"l2Normalize: {CSharpLiterals.Bool(a.GetBool("l2_normalize"))}, seed: {a.GetInt("seed")})";
                call = $"this.FIELD.Forward({list})";
                break;
            case "film":
                type = Ops + "Film";
                constructor = $"new {type}({width}, {node.Inputs[1].Shape.Width}, generator)";
                call = $"this.FIELD.Forward({inputs[0]}, {inputs[1]})";
                keepLengths = true;
                break;
            case "modality_dropout" when node.Inputs.All(i => i.Kind != ModalityKind.Tokens):
                type = Ops + "ModalityDropout";
                constructor = $"new {type}({node.Inputs.Count}, {CSharpLiterals.Float(a.GetFloat("p"))}, generator)";
                call = $"this.FIELD.Forward({list})";
                break;
            case "autofusion":
                type = Ops + "AutoFusion";
                constructor = $"new {type}({node.Inputs.Sum(i => i.Shape.Width)}, {a.GetInt("latent")}, generator)";
                call = $"this.FIELD.Forward({list})";
                valueSuffix = ".Latent";
                break;
            default:
            {
                var context = new NodeContext(node, inputs, node.Inputs.Select(i => Lengths(lengths, i)).ToList(), values);
                NodeEmission? family = node.Op switch
                {
                    "cbmf" => CbmfEmission.Node(context),
                    "cross_attention" or "self_attention" or "co_attention" => AttentionEmission.Node(context),
                    "graph_gcn" or "graph_gat" => GraphEmission.Node(context),
                    "misa" => MisaEmission.Node(context),
                    "ganfusion" => GanFusionEmission.Node(context),
                    _ => null,
                };
                if (family is null)
                {
                    plan.Diagnostics.Add(EmitDiagnostics.UnsupportedOp(node.Location, node.Name, node.Op));
                    return;
                }

                type = family.Type;
                constructor = family.Constructor;
                call = family.Call;
                valueSuffix = family.ValueSuffix;
                keepLengths = family.KeepLengths;
                sideValues = family.SideValues;
                break;
            }
        }

        string local = locals.Claim(node.Name);
        if (type is not null && constructor is not null)
        {
            string field = members.Claim(node.Name);
            plan.Modules.Add(new ModulePlan(field, type, node.Name, constructor));
            call = call.Replace("this.FIELD", "this." + field);
        }

        plan.Forward.Add(new StatementPlan(local, call));
        if (extra is not null)
        {
            plan.Forward.Add(extra);
        }
        if (node.IsMultiOutput)
        {
            for (int i = 0; i < node.Members.Count; i++)
            {
                string key = node.Name + "." + node.Members[i].Name;
                values[key] = $"{local}[{i}]";
                // a member that is still a sequence (modality dropout) keeps its input's lengths; a pooled one (cbmf) has none
                if (node.Members[i].Kind is ModalityKind.Sequence or ModalityKind.Tokens && lengths.TryGetValue(node.Inputs[i].Text, out var memberLengths))
                {
                    lengths[key] = memberLengths;
                }
            }

            return;
        }

        values[node.Name] = local + (valueSuffix ?? string.Empty);
        foreach (var (key, suffix) in sideValues ?? [])
        {
            values[node.Name + key] = local + suffix;
        }

        if (node.Op == "autofusion")
        {
            values[node.Name + ":features"] = local + ".Features";
            values[node.Name + ":reconstruction"] = local + ".Reconstruction";
        }

        if (keepLengths && lengths.TryGetValue(node.Inputs[0].Text, out var inputLengths))
        {
            lengths[node.Name] = inputLengths;
        }
    }

    private static string Activate(string activation, string expression) =>
        $"{Nn}ActivationExtensions.Apply({Nn}Activation.{ActivationName(activation)}, {expression})";

    private static string ActivationName(string activation) => activation switch
    {
        "relu" => "Relu",
        "gelu" => "Gelu",
        "tanh" => "Tanh",
        "leaky_relu" => "LeakyRelu",
        "sigmoid" => "Sigmoid",
        _ => throw new InvalidOperationException($"unknown activation '{activation}'"),
    };

    private static void ParseLoss(
        ModelPlan plan,
        FusionSpec spec,
        LossSpec loss,
        NameScope lossLocals,
        Dictionary<string, string> headOutputs,
        Func<ValueReference, string> represent,
        NameScope outputProperties,
        Dictionary<string, string> values,
        Dictionary<string, string> lengths)
    {
        var o = loss.Options;
        string? expression = null;
        string Target(HeadSpec head)
        {
            var target = plan.Targets.First(t => t.Name == head.Target);
            return $"RequireTarget(batch.{target.Property}, {CSharpLiterals.String(target.Name)})";
        }

        switch (loss.Type)
        {
            case LossType.CrossEntropy:
            case LossType.Bce:
            case LossType.Mse:
            case LossType.L1:
            {
                var head = spec.FindHead(loss.Head!)!;
                string prediction = "output." + headOutputs[head.Name];
                expression = loss.Type switch
                {
                    LossType.CrossEntropy => $"{LossFn}CrossEntropy({prediction}, {Target(head)}, {CSharpLiterals.Float(o.GetFloat("label_smoothing"))})",
                    LossType.Bce => $"{LossFn}BceWithLogits({prediction}, " +
                        (head.Type == HeadType.Classifier ? $"OneHot({Target(head)}, {head.Size})" : Target(head)) +
                        (o.Find("pos_weight") is not null ? $", {Rt}Tensor.Scalar({CSharpLiterals.Float(o.GetFloat("pos_weight"))}))" : ")"),
                    LossType.Mse => $"{LossFn}Mse({prediction}, {Target(head)})",
                    _ => $"{LossFn}L1({prediction}, {Target(head)})",
                };
                break;
            }

            case LossType.Contrastive:
            case LossType.Cca:
            case LossType.Cmd when loss.Between.Count == 2:
            {
                string x = represent(loss.Between[0]);
                string y = represent(loss.Between[1]);
                switch (loss.Type)
                {
                    case LossType.Contrastive when o.GetText("scale") == "learnable":
                        plan.Scales.Add((loss.Name, $"new {Ops}ContrastiveScale({CSharpLiterals.Float(o.GetFloat("temperature"))}, {CSharpLiterals.Float(o.GetFloat("max_scale"))})"));
                        expression = $"this.{plan.ScalesField}[{CSharpLiterals.String(loss.Name)}].Loss({x}, {y})";
                        break;
                    case LossType.Contrastive:
                        expression = $"{LossFn}Contrastive({x}, {y}, {CSharpLiterals.Float(1.0 / o.GetFloat("temperature"))})";
                        break;
                    case LossType.Cca:
                        string topK = o.Find("top_k") is AttributeValue.Int k ? CSharpLiterals.Int(k.Value) : "null";
                        expression = $"{LossFn}Dcca({x}, {y}, {CSharpLiterals.Float(o.GetFloat("r"))}, {topK})";
                        break;
                    default:
                        expression = $"{LossFn}Cmd({x}, {y}, {o.GetInt("moments")})";
                        break;
                }

                break;
            }

            case LossType.Dtw:
            case LossType.Sinkhorn:
            {
                // Sequence losses honour each side's lengths (padded steps carry no mass). Loss(output, batch)
                // does not see Forward's locals, so the lengths travel in Output (node:lengths).
                var sides = loss.Between
                    .Select(b => (Reference: b, Lengths: Lengths(lengths, b)))
                    .Select(side => (side.Reference, Lengths: side.Lengths == "null" ? "null" : RepresentLengths(plan, outputProperties, side.Reference.Text, side.Lengths)))
                    .ToList();
                string x = represent(loss.Between[0]);
                string y = represent(loss.Between[1]);
                expression = loss.Type == LossType.Dtw
                    ? $"{LossFn}Dtw({x}, {y}, {CSharpLiterals.Float(o.GetFloat("gamma"))}, {Rt}Losses.DtwCost.{Identifiers.Pascal(o.GetText("cost"))}, {sides[0].Lengths}, {sides[1].Lengths})"
                    // log domain: finite for any epsilon (the plain form underflows once the cost spread exceeds ~80 epsilon)
                    : $"{LossFn}Sinkhorn({x}, {y}, {CSharpLiterals.Float(o.GetFloat("epsilon"))}, {o.GetInt("iterations")}, logDomain: true, {sides[0].Lengths}, {sides[1].Lengths})";
                break;
            }

            case LossType.Reconstruction when spec.FindNode(loss.Node!) is { Op: "autofusion" } node:
            {
                string features = RepresentKey(plan, outputProperties, values, node.Name + ":features", Identifiers.Pascal(node.Name) + "Features");
                string reconstruction = RepresentKey(plan, outputProperties, values, node.Name + ":reconstruction", Identifiers.Pascal(node.Name) + "Reconstruction");
                expression = $"{LossFn}Mse({reconstruction}, {features})";
                break;
            }

            case var _ when loss.Node is { } nodeName && spec.FindNode(nodeName) is { Op: "misa" or "ganfusion" } lossNode:
            {
                var context = new NodeLossContext(plan, loss, lossNode, (key, property) => RepresentKey(plan, outputProperties, values, lossNode.Name + key, property));
                expression = lossNode.Op == "misa" ? MisaEmission.Loss(context) : GanFusionEmission.Loss(context);
                if (expression is null)
                {
                    plan.Diagnostics.Add(EmitDiagnostics.UnsupportedLoss(loss.Location, loss.Name, LossName(loss.Type), $" on node '{lossNode.Name}'"));
                    return;
                }

                break;
            }

            default:
                string on = loss.Node is { } n ? $" on node '{n}'" : string.Empty;
                plan.Diagnostics.Add(EmitDiagnostics.UnsupportedLoss(loss.Location, loss.Name, LossName(loss.Type), on));
                return;
        }

        string local = lossLocals.Claim(loss.Name);
        plan.Losses.Add(new StatementPlan(local, expression));
        plan.LossTerms.Add((loss.Name, local, loss.Weight));
    }

    /// <summary>The lengths of <paramref name="reference"/> (as Forward knows them) as an <c>Output</c> property (key <c>reference:lengths</c>).</summary>
    private static string RepresentLengths(ModelPlan plan, NameScope outputProperties, string reference, string expression)
    {
        string key = reference + ":lengths";
        var existing = plan.Outputs.FirstOrDefault(p => p.Key == key);
        if (existing is null)
        {
            existing = new OutputPlan(key, outputProperties.Claim(Identifiers.Pascal(reference) + "Lengths"), expression, OutputKind.Lengths);
            plan.Outputs.Add(existing);
        }

        return "output." + existing.Property;
    }

    private static string RepresentKey(ModelPlan plan, NameScope outputProperties, Dictionary<string, string> values, string key, string name)
    {
        var existing = plan.Outputs.FirstOrDefault(p => p.Key == key);
        if (existing is null)
        {
            existing = new OutputPlan(key, outputProperties.Claim(name), values.TryGetValue(key, out var v) ? v : "default!", OutputKind.Representation);
            plan.Outputs.Add(existing);
        }

        return "output." + existing.Property;
    }

    private static string LossName(LossType type) => type switch
    {
        LossType.CrossEntropy => "cross_entropy",
        _ => type.ToString().ToLowerInvariant(),
    };
}
