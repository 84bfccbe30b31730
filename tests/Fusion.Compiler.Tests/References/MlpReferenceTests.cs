namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The mlp op: for each hidden width a Linear, the optional norm (LayerNorm, or BatchNorm with its
/// running statistics in eval mode: <c>(x - mean) / sqrt(var + 1e-5) * gamma + beta</c>), the activation
/// (LeakyReLU slope 0.01, GELU exact), then the output Linear, activated only with <c>final_activation</c>.
/// </summary>
public sealed class MlpReferenceTests
{
    [Theory]
    [InlineData("none", "relu", false)]
    [InlineData("layer", "gelu", true)]
    [InlineData("batch", "leaky_relu", true)]
    [InlineData("batch", "sigmoid", false)]
    [InlineData("none", "tanh", true)]
    public void Hidden_layers_with_norm_and_activation_then_the_output_layer(string norm, string activation, bool finalActivation)
    {
        string yaml = $$"""
            model: TinyMlp
            modalities:
              x: { shape: [3] }
            encoders:
              enc: { op: mlp, input: x, hidden: [4, 5], out: 2, activation: {{activation}}, norm: {{norm}}, dropout: 0.4, final_activation: {{(finalActivation ? "true" : "false")}} }
            heads:
              y: { type: regressor, input: enc, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        if (norm == "batch")
        {
            // running statistics away from the initial (0, 1), so that using them shows
            model.Set("enc.norms.0.running_mean", [0.3f, -0.2f, 0.1f, 0.5f]);
            model.Set("enc.norms.0.running_var", [0.5f, 2f, 1.5f, 0.25f]);
            model.Set("enc.norms.1.running_mean", [-0.1f, 0.2f, 0f, 0.4f, -0.3f]);
            model.Set("enc.norms.1.running_var", [1.2f, 0.8f, 3f, 0.6f, 1f]);
        }

        var x = ReferenceModel.FixedVectors(3, 3, salt: 1).Select(r => PlainMath.Scale(r, 3)).ToArray();
        var outputs = model.Forward(ReferenceModel.Vectors("x", x));

        Func<double, double> act = activation switch
        {
            "relu" => PlainMath.Relu,
            "gelu" => PlainMath.Gelu,
            "tanh" => Math.Tanh,
            "sigmoid" => PlainMath.Sigmoid,
            _ => v => PlainMath.LeakyRelu(v),
        };
        var expected = x.Select(row =>
        {
            var h = row;
            for (int i = 0; i < 2; i++)
            {
                h = PlainMath.Linear(h, model.Get($"enc.layers.{i}.weight"), model.Get($"enc.layers.{i}.bias"));
                string n = $"enc.norms.{i}.";
                if (norm == "layer") h = PlainMath.LayerNorm(h, model.Get(n + "weight"), model.Get(n + "bias"));
                if (norm == "batch")
                {
                    var (mean, variance, gamma, beta) = (model.Get(n + "running_mean"), model.Get(n + "running_var"), model.Get(n + "weight"), model.Get(n + "bias"));
                    h = h.Select((v, j) => (v - mean[j]) / Math.Sqrt(variance[j] + 1e-5) * gamma[j] + beta[j]).ToArray();
                }

                h = PlainMath.Map(h, act);
            }

            h = PlainMath.Linear(h, model.Get("enc.layers.2.weight"), model.Get("enc.layers.2.bias"));
            return finalActivation ? PlainMath.Map(h, act) : h;
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["enc"], 1e-5);
    }
}
