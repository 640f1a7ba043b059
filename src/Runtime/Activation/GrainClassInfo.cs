namespace Bifro.Runtime.Activation;

/// <summary>What the runtime knows of a grain class, registered by generated code.</summary>
public sealed class GrainClassInfo
{
    public GrainClassInfo(
        Type grainClass,
        string grainType,
        Type[] interfaces,
        Func<IServiceProvider, IGrainContext, object> factory,
        bool reentrant,
        int statelessWorkerMaxLocal,
        string[] implicitStreamNamespaces)
    {
        GrainClass = grainClass;
        GrainType = Runtime.GrainType.Create(grainType);
        Interfaces = interfaces;
        Factory = factory;
        IsReentrant = reentrant;
        StatelessWorkerMaxLocal = statelessWorkerMaxLocal;
        ImplicitStreamNamespaces = implicitStreamNamespaces;
    }

    public Type GrainClass { get; }

    public GrainType GrainType { get; }

    public Type[] Interfaces { get; }

    /// <summary>Builds the grain object: constructor services and [PersistentState] parameters, without reflection.</summary>
    public Func<IServiceProvider, IGrainContext, object> Factory { get; }

    public bool IsReentrant { get; }

    /// <summary>0 when not a stateless worker; -1 for the default worker count.</summary>
    public int StatelessWorkerMaxLocal { get; }

    public string[] ImplicitStreamNamespaces { get; }

    public bool IsRemindable => typeof(IRemindable).IsAssignableFrom(GrainClass);
}
