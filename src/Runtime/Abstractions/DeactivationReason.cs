namespace Bifro.Runtime;

/// <summary>Why an activation is going away.</summary>
public enum DeactivationReasonCode : byte
{
    None,
    ShuttingDown,
    ActivationFailed,
    DirectoryFailure,
    ActivationIdle,
    ActivationUnresponsive,
    DuplicateActivation,
    IncompatibleRequest,
    ApplicationError,
    ApplicationRequested,
    Migrating,
    RuntimeRequested,
    HighMemoryPressure,
}

/// <summary>Why an activation is going away, with a description for logs.</summary>
public readonly struct DeactivationReason
{
    public DeactivationReason(DeactivationReasonCode code, string text)
        : this(code, null, text)
    {
    }

    public DeactivationReason(DeactivationReasonCode code, Exception? exception, string text)
    {
        ReasonCode = code;
        Exception = exception;
        Description = text;
    }

    public DeactivationReasonCode ReasonCode { get; }

    public string Description { get; }

    public Exception? Exception { get; }

    public override string ToString() => $"{ReasonCode}: {Description}";
}
