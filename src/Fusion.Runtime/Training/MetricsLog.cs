using System.Text;
using System.Text.Json;

namespace Fusion.Runtime.Training;

/// <summary>
/// <c>metrics.jsonl</c>: one JSON object per epoch (<c>{"epoch": 1, "lr": ..., "train_loss": ..., ...}</c>),
/// appended and flushed as each epoch ends so a crashed run keeps the epochs it finished. A value
/// that is not finite is written as <c>null</c>.
/// </summary>
public static class MetricsLog
{
    public static string Format(EpochMetrics epoch)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("epoch", epoch.Epoch);
            foreach (var (name, value) in epoch.All())
            {
                if (double.IsFinite(value)) json.WriteNumber(name, value);
                else json.WriteNull(name);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Appends one line for <paramref name="epoch"/> to <paramref name="path"/> (created when absent).</summary>
    public static void Append(string path, EpochMetrics epoch)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        var bytes = Encoding.UTF8.GetBytes(Format(epoch) + "\n");
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
