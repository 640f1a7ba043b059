namespace Bifro.Runtime;

/// <summary>Generate a binary codec for this type: its [Id] members cross calls and storage.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class GenerateSerializerAttribute : Attribute
{
}

/// <summary>The stable field id of a serialized member. Ids, not names, are the wire contract.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class IdAttribute : Attribute
{
    public IdAttribute(uint id) => Id = id;

    public uint Id { get; }
}

/// <summary>A stable name for a type on the wire (default: its full name).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Enum, Inherited = false)]
public sealed class AliasAttribute : Attribute
{
    public AliasAttribute(string alias) => Alias = alias;

    public string Alias { get; }
}

/// <summary>The value is never changed after it is sent, so local calls need not copy it (all our local calls pass by reference).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Parameter | AttributeTargets.ReturnValue)]
public sealed class ImmutableAttribute : Attribute
{
}

/// <summary>Requests to this grain class may interleave at await points.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ReentrantAttribute : Attribute
{
}

/// <summary>This method may run while another request of the grain is in progress.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute
{
}

/// <summary>This method does not change state: read-only requests interleave with each other.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute
{
}

/// <summary>No response is sent; the caller's task completes once the call is sent. Best effort.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute
{
}

/// <summary>A per-method response timeout, e.g. [ResponseTimeout("00:00:05")].</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ResponseTimeoutAttribute : Attribute
{
    public ResponseTimeoutAttribute(string timeout) => Timeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture);

    public TimeSpan Timeout { get; }
}

/// <summary>Overrides the grain type name of a grain class.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute : Attribute
{
    public GrainTypeAttribute(string grainType) => GrainType = grainType;

    public string GrainType { get; }
}

/// <summary>
/// Many activations of this grain may exist, local to the caller's silo, and none is registered in
/// the directory (Orleans' stateless workers).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StatelessWorkerAttribute : Attribute
{
    public StatelessWorkerAttribute()
    {
    }

    public StatelessWorkerAttribute(int maxLocalWorkers) => MaxLocalWorkers = maxLocalWorkers;

    public int MaxLocalWorkers { get; } = -1;
}

/// <summary>Injects an <see cref="IPersistentState{TState}"/> constructor parameter.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute : Attribute
{
    public PersistentStateAttribute(string stateName, string? storageName = null)
    {
        StateName = stateName;
        StorageName = storageName;
    }

    public string StateName { get; }

    public string? StorageName { get; }
}

/// <summary>
/// Every stream in this namespace delivers to the grain whose key is the stream's key, activating it
/// when needed. The grain implements IStreamSubscriptionObserver to attach its observer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ImplicitStreamSubscriptionAttribute : Attribute
{
    public ImplicitStreamSubscriptionAttribute(string streamNamespace) => Namespace = streamNamespace;

    public string Namespace { get; }
}
