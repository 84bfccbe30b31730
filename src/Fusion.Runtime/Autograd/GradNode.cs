namespace Fusion.Runtime;

/// <summary>One recorded op on the tape: its name, its inputs and its backward closure.</summary>
internal sealed class GradNode
{
    public GradNode(string name, Tensor[] inputs, BackwardFunction backward)
    {
        Name = name;
        Inputs = inputs;
        Backward = backward;
    }

    public string Name { get; }
    public Tensor[] Inputs { get; }
    public BackwardFunction Backward { get; }
}
