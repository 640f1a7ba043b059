using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Bifro.CodeGenerator;

/// <summary>
/// Generates, for the types declared in this compilation: a typed reference and one invoker per method
/// for each grain or observer interface; a factory for each grain class (constructor services and
/// [PersistentState] parameters); a codec for each [GenerateSerializer] type; and a module initializer
/// that registers them, so that the runtime never reflects per call.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class BifroGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var types = context.SyntaxProvider.CreateSyntaxProvider(
            static (node, _) => node is TypeDeclarationSyntax,
            static (ctx, ct) => ctx.SemanticModel.GetDeclaredSymbol((TypeDeclarationSyntax)ctx.Node, ct) as INamedTypeSymbol)
            .Where(static t => t is not null)
            .Collect();

        context.RegisterSourceOutput(context.CompilationProvider.Combine(types), static (spc, pair) => Execute(spc, pair.Left, pair.Right!));
    }

    private static void Execute(SourceProductionContext context, Compilation compilation, System.Collections.Immutable.ImmutableArray<INamedTypeSymbol?> types)
    {
        var known = KnownSymbols.Create(compilation);
        if (known is null)
        {
            return;
        }

        var builder = new ModelBuilder(known);
        var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var type in types)
        {
            // Partial types have several declarations; each type is modelled once.
            if (type is not null && seen.Add(type))
            {
                builder.Add(type);
            }
        }

        foreach (var d in builder.Diagnostics)
        {
            context.ReportDiagnostic(d);
        }

        if (builder.Interfaces.Count == 0 && builder.GrainClasses.Count == 0 && builder.SerializableTypes.Count == 0)
        {
            return;
        }

        var ns = "BifroGenerated." + Sanitize(compilation.AssemblyName ?? "Assembly");
        var source = new Emitter().Emit(ns, builder);
        context.AddSource("Bifro.Generated.g.cs", SourceText.From(source, Encoding.UTF8));
    }

    private static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            sb.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return sb.ToString();
    }
}
