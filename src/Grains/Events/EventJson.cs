using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bifro.Grains.Events;

/// <summary>How collectors write events as JSON: camelCase, enums as names, each event with its own class's fields.</summary>
internal static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>One event, with the fields of its runtime class.</summary>
    public static string Serialize(BifroEvent e) => JsonSerializer.Serialize(e, e.GetType(), Options);

    /// <summary>A batch as a JSON array.</summary>
    public static byte[] SerializeBatch(IReadOnlyList<BifroEvent> events)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var e in events)
            {
                JsonSerializer.Serialize(writer, e, e.GetType(), Options);
            }

            writer.WriteEndArray();
        }

        return stream.ToArray();
    }
}
