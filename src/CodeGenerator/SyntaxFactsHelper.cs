using Microsoft.CodeAnalysis.CSharp;

namespace Bifro.CodeGenerator;

internal static class SyntaxFactsHelper
{
    public static bool IsKeyword(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None;
}
