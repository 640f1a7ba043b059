namespace Bifro.Runtime;

/// <summary>An exception thrown by a remote grain whose type could not be rebuilt here.</summary>
public sealed class RemoteGrainException : Exception
{
    public RemoteGrainException(string remoteTypeName, string message)
        : base($"{remoteTypeName}: {message}")
    {
        RemoteTypeName = remoteTypeName;
    }

    public string RemoteTypeName { get; }
}

/// <summary>A call got no response in time (MessagingOptions.ResponseTimeout, 30 seconds by default).</summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException(string message)
        : base(message)
    {
    }
}

/// <summary>Stored state changed since it was read (its etag no longer matches): another writer won.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string message)
        : base(message)
    {
    }

    public InconsistentStateException(string message, string? storedEtag, string? currentEtag)
        : base($"{message} Stored etag: {storedEtag ?? "(none)"}; this activation's etag: {currentEtag ?? "(none)"}.")
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    public string? StoredEtag { get; }

    public string? CurrentEtag { get; }
}

/// <summary>The silo that hosts the grain (or observer) cannot be reached: it is dead, unreachable, or its connection closed.</summary>
public sealed class SiloUnavailableException : Exception
{
    public SiloUnavailableException(string message)
        : base(message)
    {
    }

    public SiloUnavailableException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

/// <summary>The runtime cannot deliver a call: no grain class implements the interface, the silo is stopping, and so on.</summary>
public sealed class GrainRuntimeException : Exception
{
    public GrainRuntimeException(string message)
        : base(message)
    {
    }

    public GrainRuntimeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
