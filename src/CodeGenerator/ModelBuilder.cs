using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Bifro.CodeGenerator;

/// <summary>Reads the compilation's own types into the models the emitter writes from.</summary>
internal sealed class ModelBuilder
{
    private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private static readonly SymbolDisplayFormat Readable = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private readonly KnownSymbols _known;
    private readonly List<Diagnostic> _diagnostics = new();

    public ModelBuilder(KnownSymbols known) => _known = known;

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    public List<InterfaceModel> Interfaces { get; } = new();

    public List<GrainClassModel> GrainClasses { get; } = new();

    public List<SerializableTypeModel> SerializableTypes { get; } = new();

    public static string TypeName(ITypeSymbol type) => type.ToDisplayString(FullyQualified);

    public static string SafeName(ITypeSymbol type)
    {
        var text = type.ToDisplayString(Readable);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return sb.ToString();
    }

    public void Add(INamedTypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Interface)
        {
            if (_known.Implements(type, _known.IAddressable) && !KnownSymbols.Is(type, _known.IAddressable)
                && type.TypeParameters.Length == 0 && HasMethods(type))
            {
                Interfaces.Add(BuildInterface(type));
            }

            return;
        }

        if (type.TypeKind == TypeKind.Class && !type.IsAbstract && type.TypeParameters.Length == 0
            && _known.Implements(type, _known.IGrainBase))
        {
            var model = BuildGrainClass(type);
            if (model.Interfaces.Count > 0)
            {
                GrainClasses.Add(model);
            }
        }

        if (_known.HasAttribute(type, _known.GenerateSerializer) && type.TypeParameters.Length == 0)
        {
            var model = BuildSerializable(type);
            if (model is not null)
            {
                SerializableTypes.Add(model);
            }
        }
    }

    private static bool HasMethods(INamedTypeSymbol type)
    {
        foreach (var i in AllGrainInterfaces(type))
        {
            if (i.GetMembers().OfType<IMethodSymbol>().Any(m => m.MethodKind == MethodKind.Ordinary && !m.IsStatic))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<INamedTypeSymbol> AllGrainInterfaces(INamedTypeSymbol type)
    {
        yield return type;
        foreach (var i in type.AllInterfaces)
        {
            yield return i;
        }
    }

    private InterfaceModel BuildInterface(INamedTypeSymbol type)
    {
        var model = new InterfaceModel
        {
            TypeName = TypeName(type),
            MetadataName = type.ToDisplayString(Readable),
            SafeName = SafeName(type),
        };

        var index = 0;
        foreach (var iface in AllGrainInterfaces(type))
        {
            foreach (var method in iface.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.MethodKind != MethodKind.Ordinary || method.IsStatic)
                {
                    continue;
                }

                var m = BuildMethod(method, iface, model.SafeName, index++);
                if (m is not null)
                {
                    model.Methods.Add(m);
                }
            }
        }

        return model;
    }

    private MethodModel? BuildMethod(IMethodSymbol method, INamedTypeSymbol declaring, string ownerSafeName, int index)
    {
        var location = method.Locations.FirstOrDefault();
        var display = declaring.Name + "." + method.Name;
        if (method.IsGenericMethod || method.Parameters.Any(p => p.RefKind != RefKind.None || p.IsParams))
        {
            _diagnostics.Add(Diagnostic.Create(CodeGenerator.Diagnostics.UnsupportedParameter, location, display));
            return null;
        }

        var model = new MethodModel
        {
            Name = method.Name,
            DeclaringInterface = TypeName(declaring),
            DeclaringInterfaceMetadataName = declaring.ToDisplayString(Readable),
            ReturnTypeName = TypeName(method.ReturnType),
            InvokableName = "Invokable_" + ownerSafeName + "_" + method.Name + "_" + index.ToString(CultureInfo.InvariantCulture),
            OneWay = _known.HasAttribute(method, _known.OneWay),
            AlwaysInterleave = _known.HasAttribute(method, _known.AlwaysInterleave),
            ReadOnly = _known.HasAttribute(method, _known.ReadOnly),
        };

        var returnType = method.ReturnType as INamedTypeSymbol;
        if (KnownSymbols.Is(returnType, _known.Task))
        {
            model.ReturnKind = ReturnKind.Task;
        }
        else if (KnownSymbols.Is(returnType, _known.ValueTask))
        {
            model.ReturnKind = ReturnKind.ValueTask;
        }
        else if (returnType is { IsGenericType: true } && KnownSymbols.Is(returnType.ConstructedFrom, _known.TaskOfT))
        {
            model.ReturnKind = ReturnKind.TaskOfT;
            model.ResultTypeName = TypeName(returnType.TypeArguments[0]);
        }
        else if (returnType is { IsGenericType: true } && KnownSymbols.Is(returnType.ConstructedFrom, _known.ValueTaskOfT))
        {
            model.ReturnKind = ReturnKind.ValueTaskOfT;
            model.ResultTypeName = TypeName(returnType.TypeArguments[0]);
        }
        else
        {
            _diagnostics.Add(Diagnostic.Create(CodeGenerator.Diagnostics.UnsupportedReturnType, location, display));
            return null;
        }

        if (model.OneWay && model.ResultTypeName is not null)
        {
            _diagnostics.Add(Diagnostic.Create(CodeGenerator.Diagnostics.OneWayWithResult, location, display));
            return null;
        }

        var timeout = _known.GetAttribute(method, _known.ResponseTimeout);
        if (timeout is not null && timeout.ConstructorArguments.Length == 1 && timeout.ConstructorArguments[0].Value is string text
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            model.ResponseTimeoutTicks = span.Ticks;
        }

        var wire = new StringBuilder();
        wire.Append(model.DeclaringInterfaceMetadataName).Append('.').Append(method.Name).Append('(');
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var p = method.Parameters[i];
            model.Parameters.Add(new ParameterModel(p.Name, TypeName(p.Type)));
            if (i > 0)
            {
                wire.Append(',');
            }

            wire.Append(p.Type.ToDisplayString(Readable));
        }

        model.WireName = wire.Append(')').ToString();
        return model;
    }

    private GrainClassModel BuildGrainClass(INamedTypeSymbol type)
    {
        var model = new GrainClassModel
        {
            TypeName = TypeName(type),
            SafeName = SafeName(type),
            Reentrant = _known.HasAttribute(type, _known.Reentrant),
        };

        var grainType = _known.GetAttribute(type, _known.GrainTypeAttribute);
        model.GrainType = grainType?.ConstructorArguments.FirstOrDefault().Value as string ?? DefaultGrainType(type.Name);

        var worker = _known.GetAttribute(type, _known.StatelessWorker);
        if (worker is not null)
        {
            model.StatelessWorkerMaxLocal = worker.ConstructorArguments.Length > 0 && worker.ConstructorArguments[0].Value is int max ? max : -1;
        }

        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var a in t.GetAttributes())
            {
                if (KnownSymbols.Is(a.AttributeClass, _known.ImplicitStreamSubscription) && a.ConstructorArguments.Length > 0
                    && a.ConstructorArguments[0].Value is string ns)
                {
                    model.ImplicitStreamNamespaces.Add(ns);
                }
            }
        }

        foreach (var i in type.AllInterfaces)
        {
            if (_known.Implements(i, _known.IAddressable) && !KnownSymbols.Is(i, _known.IAddressable)
                && i.GetMembers().OfType<IMethodSymbol>().Any() && i.TypeParameters.Length == 0)
            {
                model.Interfaces.Add(TypeName(i));
            }
        }

        var ctor = type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal)
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
        if (ctor is not null)
        {
            foreach (var p in ctor.Parameters)
            {
                model.ConstructorArguments.Add(BuildConstructorArgument(p));
            }
        }

        return model;
    }

    private ConstructorArgumentModel BuildConstructorArgument(IParameterSymbol p)
    {
        var state = _known.GetAttribute(p, _known.PersistentState);
        var collection = state is null ? _known.GetAttribute(p, _known.PersistentCollection) : null;
        state ??= collection;
        if (state is not null && p.Type is INamedTypeSymbol { IsGenericType: true } stateType)
        {
            return new ConstructorArgumentModel
            {
                Kind = collection is null ? ConstructorArgumentKind.PersistentState : ConstructorArgumentKind.PersistentCollection,
                TypeName = TypeName(p.Type),
                StateTypeName = TypeName(stateType.TypeArguments[0]),
                StateName = state.ConstructorArguments.Length > 0 ? state.ConstructorArguments[0].Value as string : p.Name,
                StorageName = state.ConstructorArguments.Length > 1 ? state.ConstructorArguments[1].Value as string : null,
            };
        }

        if (p.Type.ToDisplayString() == "Bifro.Runtime.IGrainContext")
        {
            return new ConstructorArgumentModel { Kind = ConstructorArgumentKind.GrainContext, TypeName = TypeName(p.Type) };
        }

        return new ConstructorArgumentModel
        {
            Kind = p.HasExplicitDefaultValue || p.NullableAnnotation == NullableAnnotation.Annotated
                ? ConstructorArgumentKind.OptionalService
                : ConstructorArgumentKind.Service,
            TypeName = TypeName(p.Type),
        };
    }

    private static string DefaultGrainType(string className)
    {
        var name = className;
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > 5)
        {
            name = name.Substring(0, name.Length - 5);
        }

        return name.ToLowerInvariant();
    }

    private SerializableTypeModel? BuildSerializable(INamedTypeSymbol type)
    {
        var alias = _known.GetAttribute(type, _known.Alias)?.ConstructorArguments.FirstOrDefault().Value as string;
        var model = new SerializableTypeModel
        {
            TypeName = TypeName(type),
            SafeName = SafeName(type),
            Alias = alias ?? type.ToDisplayString(Readable),
            IsValueType = type.IsValueType,
            IsAbstract = type.IsAbstract,
        };

        // Members with [Id], from the most derived type up; a positional record parameter may carry it too.
        var seen = new HashSet<uint>();
        var byName = new Dictionary<string, MemberModel>(StringComparer.OrdinalIgnoreCase);
        var primaryConstructorIds = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var ctor in type.InstanceConstructors)
        {
            foreach (var p in ctor.Parameters)
            {
                if (_known.GetAttribute(p, _known.Id) is { } idOnParameter && idOnParameter.ConstructorArguments[0].Value is { } v)
                {
                    primaryConstructorIds[p.Name] = Convert.ToUInt32(v, CultureInfo.InvariantCulture);
                }
            }
        }

        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member.IsStatic || member is not (IFieldSymbol or IPropertySymbol) || byName.ContainsKey(member.Name))
                {
                    continue;
                }

                uint id;
                if (_known.GetAttribute(member, _known.Id) is { } attr && attr.ConstructorArguments[0].Value is { } value)
                {
                    id = Convert.ToUInt32(value, CultureInfo.InvariantCulture);
                }
                else if (primaryConstructorIds.TryGetValue(member.Name, out var fromParameter))
                {
                    id = fromParameter;
                }
                else
                {
                    continue;
                }

                if (!seen.Add(id))
                {
                    _diagnostics.Add(Diagnostic.Create(CodeGenerator.Diagnostics.DuplicateId, member.Locations.FirstOrDefault(), type.Name, id));
                    return null;
                }

                if (member.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                {
                    _diagnostics.Add(Diagnostic.Create(CodeGenerator.Diagnostics.InaccessibleMember, member.Locations.FirstOrDefault(), member.Name, type.Name));
                    return null;
                }

                var m = new MemberModel { Id = id, Name = member.Name };
                if (member is IFieldSymbol field)
                {
                    m.TypeName = TypeName(field.Type);
                    m.Assignable = !field.IsReadOnly && !field.IsConst;
                }
                else if (member is IPropertySymbol property)
                {
                    m.TypeName = TypeName(property.Type);
                    m.Assignable = property.SetMethod is { } setter
                        && setter.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;
                }

                byName[member.Name] = m;
                model.Members.Add(m);
            }
        }

        model.Members.Sort((a, b) => a.Id.CompareTo(b.Id));

        // Construction: a parameterless constructor when there is one; otherwise the constructor whose
        // parameters are all [Id] members (positional records).
        var constructors = type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal)
            .ToList();
        var hasParameterless = type.IsValueType || constructors.Any(c => c.Parameters.Length == 0);
        if (!hasParameterless && !type.IsAbstract)
        {
            var chosen = constructors
                .Where(c => c.Parameters.All(p => byName.ContainsKey(p.Name)))
                .OrderByDescending(c => c.Parameters.Length)
                .FirstOrDefault();
            if (chosen is not null)
            {
                for (var i = 0; i < chosen.Parameters.Length; i++)
                {
                    byName[chosen.Parameters[i].Name].ConstructorIndex = i;
                }

                model.ConstructorParameterCount = chosen.Parameters.Length;
            }
        }

        foreach (var m in model.Members)
        {
            if (!m.Assignable && m.ConstructorIndex < 0 && !type.IsAbstract)
            {
                _diagnostics.Add(Diagnostic.Create(CodeGenerator.Diagnostics.MemberNotAssignable, type.Locations.FirstOrDefault(), m.Name, type.Name));
                return null;
            }
        }

        return model;
    }
}
