using System.Reflection;
using Fusion.Compiler.Emit;

namespace Fusion.Compiler.Tests;

/// <summary>
/// The typed surface of a generated module, used as a user would: code written against
/// <c>Batch</c>, <c>Output</c>, <c>Forward</c> and <c>Loss</c> compiles with the module and runs.
/// </summary>
public class TypedApiTests
{
    private const string UserCode = """
        #nullable enable
        using Fusion.Runtime;
        using Fusion.Models;

        public static class User
        {
            public static float[] Run()
            {
                var random = new RandomSource(5);
                var model = new Names(random);
                var batch = new Names.Batch
                {
                    Batch_ = Tensor.Randn(random, 3, 4),     // "Batch" would name the enclosing class
                    Class = Tensor.Randn(random, 3, 3),
                    Forward = Tensor.Randn(random, 3, 1),
                };
                Names.Output output = model.Forward(batch);
                Tensor prediction = output.Forward;
                Tensor joint = output.Generator;
                var loss = model.Loss(output, batch);
                loss.Total.Backward();
                return [prediction.Size(0), joint.Size(1), loss.Terms.Count, loss["mse"].Item()];
            }

            public static string WrongShape()
            {
                var random = new RandomSource(6);
                try
                {
                    new Names(random).Forward(new Names.Batch { Batch_ = Tensor.Randn(random, 3, 5), Class = Tensor.Randn(random, 3, 3) });
                    return "no exception";
                }
                catch (Fusion.Runtime.Models.BatchShapeException e)
                {
                    return e.Message;
                }
            }
        }
        """;

    [Fact]
    public void User_code_drives_the_typed_batch_output_forward_and_loss()
    {
        var spec = TestModels.Load("coverage:names");
        var compiled = GeneratedCompilation.Compile(ModuleEmitter.Emit(spec).Source!, spec, UserCode);
        Assert.True(compiled.Diagnostics.IsEmpty, string.Join("\n", compiled.Diagnostics));
        var user = compiled.Assembly!.GetType("User")!;
        var result = (float[])user.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
        Assert.Equal(3f, result[0]);
        Assert.Equal(6f, result[1]);
        Assert.Equal(1f, result[2]);
        Assert.True(result[3] > 0f);
        var message = (string)user.GetMethod("WrongShape", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
        Assert.Equal("batch.Batch_ has shape [3, 5] but modality 'batch' is [4] per sample (batch of 3)", message);
    }

    [Fact]
    public void Names_that_collide_with_keywords_and_generated_members_are_escaped()
    {
        var source = TestModels.Emit("coverage:names").Source!;
        Assert.Contains("var @class = batch.Class;", source);
        Assert.Contains("private readonly global::Fusion.Runtime.Nn.Mlp Forward_;", source);
        Assert.Contains("Forward_ = RegisterModule(\"Forward\", ", source);
        Assert.Contains("var generator = global::Fusion.Runtime.Tensor.Concat(-1, output, Train);", source);
    }
}
