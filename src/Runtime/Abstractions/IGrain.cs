namespace Bifro.Runtime;

/// <summary>Anything that can be addressed by a <see cref="GrainId"/>: grains and observers.</summary>
public interface IAddressable
{
}

/// <summary>Marker for grain interfaces. A grain interface's methods return Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
public interface IGrain : IAddressable
{
}

/// <summary>Marker for grains whose primary key is a string.</summary>
public interface IGrainWithStringKey : IGrain
{
}

/// <summary>
/// Marker for observer interfaces: objects outside the grain world (a connection, a client) that
/// grains call back through a reference made by <see cref="IGrainFactory.CreateObjectReference{T}"/>.
/// </summary>
public interface IGrainObserver : IAddressable
{
}
