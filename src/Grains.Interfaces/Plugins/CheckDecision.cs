namespace Bifro.Grains;

/// <summary>A permission check's answer.</summary>
public enum CheckDecision : byte
{
    Granted = 0,
    Denied = 1,

    /// <summary>The provider could not decide; treated as denied (fail closed) and never cached.</summary>
    Error = 2,
}
