using System.Text;
using Bifro.Grains;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// A connection's authorization decisions (Granted and Denied; never Error), keyed by action, topic (or
/// filter), QoS and retain, for Bifro:Auth:DecisionCacheTtl. Publishes look up by the topic's UTF-8 bytes,
/// so a hit allocates nothing. Bounded: when full, expired entries go, and if none had, all of them.
/// Used from the connection's read loop only, so it takes no lock.
/// </summary>
internal sealed class DecisionCache
{
    private readonly Dictionary<byte[], Entry> _entries;
    private readonly Dictionary<byte[], Entry>.AlternateLookup<DecisionKey> _lookup;
    private readonly TimeProvider _time;
    private readonly long _ttlTimestampTicks;
    private readonly int _capacity;

    public DecisionCache(TimeSpan ttl, int capacity, TimeProvider time)
    {
        _time = time;
        _capacity = capacity;
        _ttlTimestampTicks = (long)(ttl.TotalSeconds * time.TimestampFrequency);
        _entries = new Dictionary<byte[], Entry>(KeyComparer.Instance);
        _lookup = _entries.GetAlternateLookup<DecisionKey>();
    }

    /// <summary>False when the TTL is 0: every check goes to the provider.</summary>
    public bool Enabled => _ttlTimestampTicks > 0;

    public int Count => _entries.Count;

    public bool TryGet(MqttActionKind kind, ReadOnlySpan<byte> topic, byte qos, bool retain, out CheckResult result)
    {
        if (_entries.Count > 0 && _lookup.TryGetValue(new DecisionKey(Header(kind, qos, retain), topic), out var entry))
        {
            if (_time.GetTimestamp() < entry.ExpiresAt)
            {
                result = entry.Result;
                return true;
            }

            _lookup.Remove(new DecisionKey(Header(kind, qos, retain), topic));
        }

        result = null!;
        return false;
    }

    public bool TryGet(MqttAction action, out CheckResult result) =>
        TryGet(action.Kind, Encoding.UTF8.GetBytes(KeyText(action)), action.QoS, action.Retain, out result);

    public void Add(MqttActionKind kind, ReadOnlySpan<byte> topic, byte qos, bool retain, CheckResult result)
    {
        if (!Enabled || result.Decision == CheckDecision.Error)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (_entries.Count >= _capacity)
        {
            Evict(now);
        }

        _lookup[new DecisionKey(Header(kind, qos, retain), topic)] = new Entry(result, now + _ttlTimestampTicks);
    }

    public void Add(MqttAction action, CheckResult result) =>
        Add(action.Kind, Encoding.UTF8.GetBytes(KeyText(action)), action.QoS, action.Retain, result);

    /// <summary>Forgets everything (re-authentication may change what the client may do).</summary>
    public void Clear() => _entries.Clear();

    private void Evict(long now)
    {
        List<byte[]>? expired = null;
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                (expired ??= []).Add(key);
            }
        }

        if (expired is null)
        {
            _entries.Clear();
            return;
        }

        foreach (var key in expired)
        {
            _entries.Remove(key);
        }
    }

    // A shared subscription's filter is keyed as the client wrote it.
    private static string KeyText(MqttAction action) => action.ShareGroup is null ? action.Topic : $"$share/{action.ShareGroup}/{action.Topic}";

    private static byte Header(MqttActionKind kind, byte qos, bool retain) => (byte)(((byte)kind << 3) | (qos << 1) | (retain ? 1 : 0));

    private readonly record struct Entry(CheckResult Result, long ExpiresAt);

    /// <summary>A key as a lookup sees it: the header byte (action, QoS, retain) and the topic's bytes.</summary>
    internal readonly ref struct DecisionKey(byte header, ReadOnlySpan<byte> topic)
    {
        public byte Header { get; } = header;

        public ReadOnlySpan<byte> Topic { get; } = topic;
    }

    /// <summary>Stored keys are the header byte followed by the topic; lookups compare without building one.</summary>
    private sealed class KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<DecisionKey, byte[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] key) => Hash(key[0], key.AsSpan(1));

        public bool Equals(DecisionKey alternate, byte[] other) =>
            other.Length == alternate.Topic.Length + 1 && other[0] == alternate.Header && alternate.Topic.SequenceEqual(other.AsSpan(1));

        public int GetHashCode(DecisionKey alternate) => Hash(alternate.Header, alternate.Topic);

        public byte[] Create(DecisionKey alternate)
        {
            var key = new byte[alternate.Topic.Length + 1];
            key[0] = alternate.Header;
            alternate.Topic.CopyTo(key.AsSpan(1));
            return key;
        }

        private static int Hash(byte header, ReadOnlySpan<byte> topic)
        {
            // HashCode is seeded per process, so a client cannot choose topics that collide.
            var hash = default(HashCode);
            hash.Add(header);
            hash.AddBytes(topic);
            return hash.ToHashCode();
        }
    }
}
