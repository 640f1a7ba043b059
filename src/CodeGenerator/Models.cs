using System.Collections.Generic;

namespace Bifro.CodeGenerator;

internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

internal sealed class ParameterModel
{
    public ParameterModel(string name, string typeName)
    {
        Name = name;
        TypeName = typeName;
    }

    public string Name { get; }

    public string TypeName { get; }
}

internal sealed class MethodModel
{
    public string Name { get; set; } = "";
    public string DeclaringInterface { get; set; } = "";
    public string DeclaringInterfaceMetadataName { get; set; } = "";
    public ReturnKind ReturnKind { get; set; }
    public string ReturnTypeName { get; set; } = "";
    public string? ResultTypeName { get; set; }
    public List<ParameterModel> Parameters { get; } = new List<ParameterModel>();
    public bool OneWay { get; set; }
    public bool AlwaysInterleave { get; set; }
    public bool ReadOnly { get; set; }
    public long? ResponseTimeoutTicks { get; set; }
    public string InvokableName { get; set; } = "";
    public string WireName { get; set; } = "";
}

internal sealed class InterfaceModel
{
    public string TypeName { get; set; } = "";
    public string MetadataName { get; set; } = "";
    public string SafeName { get; set; } = "";
    public List<MethodModel> Methods { get; } = new List<MethodModel>();
}

internal enum ConstructorArgumentKind
{
    Service,
    OptionalService,
    PersistentState,
    PersistentCollection,
    GrainContext,
}

internal sealed class ConstructorArgumentModel
{
    public ConstructorArgumentKind Kind { get; set; }
    public string TypeName { get; set; } = "";
    public string? StateTypeName { get; set; }
    public string? StateName { get; set; }
    public string? StorageName { get; set; }
}

internal sealed class GrainClassModel
{
    public string TypeName { get; set; } = "";
    public string SafeName { get; set; } = "";
    public string GrainType { get; set; } = "";
    public List<string> Interfaces { get; } = new List<string>();
    public bool Reentrant { get; set; }
    public int StatelessWorkerMaxLocal { get; set; }
    public List<string> ImplicitStreamNamespaces { get; } = new List<string>();
    public List<ConstructorArgumentModel> ConstructorArguments { get; } = new List<ConstructorArgumentModel>();
}

internal sealed class MemberModel
{
    public uint Id { get; set; }
    public string Name { get; set; } = "";
    public string TypeName { get; set; } = "";
    public bool Assignable { get; set; }
    public int ConstructorIndex { get; set; } = -1;
    public string LocalName => "m" + Id;
}

internal sealed class SerializableTypeModel
{
    public string TypeName { get; set; } = "";
    public string SafeName { get; set; } = "";
    public string Alias { get; set; } = "";
    public bool IsValueType { get; set; }
    public bool IsAbstract { get; set; }
    public List<MemberModel> Members { get; } = new List<MemberModel>();
    public int ConstructorParameterCount { get; set; }
}
