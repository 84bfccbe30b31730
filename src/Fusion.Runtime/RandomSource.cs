namespace Fusion.Runtime;

/// <summary>
/// The one seeded random source of the runtime (xoshiro256**, seeded through SplitMix64):
/// initialisation, dropout masks and shuffling all draw from it, so the same seed gives the
/// same bits on every run. Not thread-safe; give each thread its own via <see cref="Fork"/>.
/// </summary>
public sealed class RandomSource
{
    private ulong s0, s1, s2, s3;

    public RandomSource(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

    public RandomSource(int seed) : this(unchecked((ulong)(long)seed)) { }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, maxExclusive), unbiased (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        ulong range = (ulong)maxExclusive;
        UInt128 m = (UInt128)(NextUInt64() >> 32) * range;
        ulong low = (ulong)m & 0xFFFFFFFFUL;
        if (low < range)
        {
            ulong threshold = ((1UL << 32) - range) % range;
            while (low < threshold)
            {
                m = (UInt128)(NextUInt64() >> 32) * range;
                low = (ulong)m & 0xFFFFFFFFUL;
            }
        }
        return (int)(ulong)(m >> 32);
    }

    /// <summary>Uniform in [low, high).</summary>
    public float Uniform(float low = 0f, float high = 1f) => low + (high - low) * NextFloat();

    /// <summary>A normal deviate (Box-Muller, computed in double).</summary>
    public float Normal(float mean = 0f, float std = 1f)
    {
        NormalPair(out double z0, out _);
        return (float)(mean + std * z0);
    }

    private void NormalPair(out double z0, out double z1)
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double theta = 2.0 * Math.PI * u2;
        z0 = r * Math.Cos(theta);
        z1 = r * Math.Sin(theta);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Bernoulli(double p) => NextDouble() < p;

    public void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = Uniform(low, high);
    }

    public void FillNormal(Span<float> destination, float mean = 0f, float std = 1f)
    {
        int i = 0;
        for (; i + 1 < destination.Length; i += 2)
        {
            NormalPair(out double z0, out double z1);
            destination[i] = (float)(mean + std * z0);
            destination[i + 1] = (float)(mean + std * z1);
        }
        if (i < destination.Length) destination[i] = Normal(mean, std);
    }

    /// <summary>Fills with 1 (probability p) or 0.</summary>
    public void FillBernoulli(Span<float> destination, double p)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = Bernoulli(p) ? 1f : 0f;
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of 0..n-1.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p.AsSpan());
        return p;
    }

    /// <summary>A new independent source seeded from this one (advances this one).</summary>
    public RandomSource Fork() => new(NextUInt64());

    /// <summary>The generator state, for checkpoints.</summary>
    public ulong[] GetState() => [s0, s1, s2, s3];

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4) throw new ArgumentException("A RandomSource state has 4 words.");
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("The all-zero state is invalid.");
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3];
    }
}
