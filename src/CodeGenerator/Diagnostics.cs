using Microsoft.CodeAnalysis;

namespace Bifro.CodeGenerator;

internal static class Diagnostics
{
    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        "BIFRO001", "Unsupported grain method return type",
        "Grain method '{0}' must return Task, Task<T>, ValueTask or ValueTask<T>",
        "Bifro", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OneWayWithResult = new(
        "BIFRO002", "One-way method returns a value",
        "[OneWay] method '{0}' must return Task or ValueTask: no response is sent",
        "Bifro", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedParameter = new(
        "BIFRO003", "Unsupported grain method parameter",
        "Grain method '{0}' has a ref, out, in or params parameter, or is generic; calls must be messages",
        "Bifro", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MemberNotAssignable = new(
        "BIFRO004", "Serializable member cannot be set",
        "Member '{0}' of [GenerateSerializer] type '{1}' has [Id] but is neither settable nor a constructor parameter",
        "Bifro", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateId = new(
        "BIFRO005", "Duplicate serializer id",
        "[GenerateSerializer] type '{0}' uses [Id({1})] twice",
        "Bifro", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InaccessibleMember = new(
        "BIFRO006", "Serializable member is not accessible",
        "Member '{0}' of [GenerateSerializer] type '{1}' must be public or internal",
        "Bifro", DiagnosticSeverity.Error, isEnabledByDefault: true);
}
