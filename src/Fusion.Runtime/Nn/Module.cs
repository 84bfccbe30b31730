using System.Text;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Nn;

/// <summary>
/// Base of every layer, after PyTorch's <c>nn.Module</c> with .NET naming. A module registers
/// its parameters, buffers and submodules by name; names join with dots into the keys of
/// <see cref="StateDict"/> exactly as PyTorch would write them (own parameters, then own buffers,
/// then each submodule in registration order). Parameters and buffers are taken out of any
/// dispose scope when registered, so they outlive training steps.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> parameters = new();
    private readonly List<(string Name, Tensor Tensor)> buffers = new();
    private readonly List<(string Name, Module Module)> modules = new();

    /// <summary>Whether the module is in training mode (dropout active, batch statistics); true after construction.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Registers a trainable tensor (it is made a leaf requiring a gradient).</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        CheckName(name);
        if (!parameter.IsLeaf) throw new ArgumentException($"Parameter '{name}' must be a leaf tensor (use Detach()).");
        parameter.DetachFromScope();
        parameter.RequiresGrad = true;
        parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers a non-trainable state tensor (running statistics, fixed tables); saved in the state dict.</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        CheckName(name);
        buffer.DetachFromScope();
        buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module; its keys are prefixed with <paramref name="name"/> and a dot.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        modules.Add((name, module));
        module.SetTraining(IsTraining);
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"Invalid member name '{name}': it must be non-empty and contain no dot.");
        if (parameters.Exists(p => p.Name == name) || buffers.Exists(b => b.Name == name) || modules.Exists(m => m.Name == name))
            throw new ArgumentException($"'{name}' is already registered in {GetType().Name}.");
    }

    /// <summary>Direct children, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => modules;

    /// <summary>This module and every descendant with its dotted path ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        yield return ("", this);
        foreach (var (name, child) in modules)
            foreach (var (sub, m) in child.NamedModules())
                yield return (sub.Length == 0 ? name : name + "." + sub, m);
    }

    /// <summary>Every parameter with its dotted name (own first, then each child's, in registration order).</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Named(m => m.parameters);

    /// <summary>Every buffer with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => Named(m => m.buffers);

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    public IEnumerable<Tensor> Buffers() => NamedBuffers().Select(b => b.Buffer);

    private IEnumerable<(string, Tensor)> Named(Func<Module, List<(string Name, Tensor Tensor)>> select)
    {
        foreach (var (prefix, m) in NamedModules())
            foreach (var (name, t) in select(m))
                yield return (prefix.Length == 0 ? name : prefix + "." + name, t);
    }

    /// <summary>
    /// Parameters and buffers by dotted key, in PyTorch's order (per module: parameters, buffers,
    /// then children). The tensors are the module's own (not copies): detach or clone to keep a snapshot.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var dict = new OrderedDictionary<string, Tensor>();
        foreach (var (prefix, m) in NamedModules())
        {
            string p = prefix.Length == 0 ? "" : prefix + ".";
            foreach (var (name, t) in m.parameters) dict.Add(p + name, t);
            foreach (var (name, t) in m.buffers) dict.Add(p + name, t);
        }
        return dict;
    }

    /// <summary>
    /// Copies values from <paramref name="stateDict"/> into the parameters and buffers. A shape
    /// mismatch is always an error; with <paramref name="strict"/> keys missing from the dict and
    /// keys the module does not have are errors too. All problems are gathered and reported in one
    /// <see cref="StateDictMismatchException"/> before anything is copied.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        var own = StateDict();
        var missing = new List<string>();
        var unexpected = new List<string>();
        var mismatched = new List<(string Key, int[] Expected, int[] Found)>();
        foreach (var (key, target) in own)
        {
            if (!stateDict.TryGetValue(key, out var source)) { missing.Add(key); continue; }
            if (!Layout.SameShape(source.Shape, target.Shape)) mismatched.Add((key, target.Shape.ToArray(), source.Shape.ToArray()));
        }
        foreach (var key in stateDict.Keys)
            if (!own.ContainsKey(key)) unexpected.Add(key);
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictMismatchException(GetType().Name, strict ? missing : [], strict ? unexpected : [], mismatched);

        using var _ = Autograd.NoGrad();
        foreach (var (key, target) in own)
            if (stateDict.TryGetValue(key, out var source)) target.CopyFrom(source);
    }

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public Module Train(bool training = true)
    {
        SetTraining(training);
        return this;
    }

    /// <summary>Evaluation mode (same as <c>Train(false)</c>).</summary>
    public Module Eval() => Train(false);

    private void SetTraining(bool training)
    {
        IsTraining = training;
        foreach (var (_, m) in modules) m.SetTraining(training);
    }

    /// <summary>
    /// Clears the gradients of every parameter. With <paramref name="setToNone"/> (PyTorch's
    /// default) the gradient tensors are released; otherwise they are filled with zeros.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
        {
            if (setToNone) p.Grad = null;
            else p.ZeroGrad();
        }
    }

    /// <summary>Total number of parameter elements.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Numel);

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (name, t) in StateDict()) sb.Append(name).Append(' ').Append(Layout.Format(t.Shape)).Append('\n');
        return sb.ToString();
    }
}

/// <summary>A module with a forward function from <typeparamref name="TInput"/> to <typeparamref name="TOutput"/>.</summary>
public abstract class Module<TInput, TOutput> : Module
{
    public abstract TOutput Forward(TInput input);
}
