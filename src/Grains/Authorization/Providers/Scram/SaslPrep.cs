using System.Text;

namespace Bifro.Grains.Authorization.Providers.Scram;

/// <summary>
/// SASLprep (RFC 4013), which SCRAM applies to passwords before hashing: non-ASCII spaces become U+0020,
/// characters "commonly mapped to nothing" go, and prohibited characters (controls, private use,
/// non-characters, surrogates, tagging and display-changing characters) make the string unusable.
/// </summary>
/// <remarks>
/// Not done: the NFKC normalization step, the bidirectional checks and the unassigned-code-point check.
/// The node runs with invariant globalization, where <see cref="string.Normalize(NormalizationForm)"/>
/// does not change non-ASCII text. ASCII passwords, which is what nearly every client sends, are
/// unaffected by NFKC anyway; a non-ASCII password must be typed in NFKC form on both sides.
/// </remarks>
internal static class SaslPrep
{
    /// <summary>The prepared string, or null when it holds a prohibited character.</summary>
    public static string? Prepare(string value)
    {
        StringBuilder? mapped = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x80)
            {
                if (c < 0x20 || c == 0x7F)
                {
                    return null; // C.2.1 ASCII control characters.
                }

                mapped?.Append(c);
                continue;
            }

            int codePoint;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, value[i + 1]);
            }
            else if (char.IsSurrogate(c))
            {
                return null; // C.5 a lone surrogate.
            }
            else
            {
                codePoint = c;
            }

            var width = codePoint > 0xFFFF ? 2 : 1;
            if (IsMappedToNothing(codePoint) || IsNonAsciiSpace(codePoint))
            {
                mapped ??= new StringBuilder(value.Length).Append(value, 0, i);
                if (IsNonAsciiSpace(codePoint))
                {
                    mapped.Append(' ');
                }
            }
            else if (IsProhibited(codePoint))
            {
                return null;
            }
            else
            {
                mapped?.Append(value, i, width);
            }

            i += width - 1;
        }

        return mapped?.ToString() ?? value;
    }

    // RFC 3454 C.1.2.
    private static bool IsNonAsciiSpace(int c) =>
        c is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    // RFC 3454 B.1.
    private static bool IsMappedToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or 0x200C or 0x200D or 0x2060
            or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    // RFC 3454 C.2.2, C.3, C.4, C.6, C.7, C.8 and C.9 (C.1.2 is mapped above, C.2.1 and C.5 are checked by the caller).
    private static bool IsProhibited(int c) =>
        (c & 0xFFFE) == 0xFFFE || c is (>= 0x80 and <= 0x9F) or 0x06DD or 0x070F or 0x180E or 0x2028 or 0x2029 or (>= 0x2061 and <= 0x2063)
            or (>= 0x206A and <= 0x206F) or (>= 0xFFF9 and <= 0xFFFD) or (>= 0x1D173 and <= 0x1D17A)
            or (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD)
            or (>= 0xFDD0 and <= 0xFDEF)
            or (>= 0x2FF0 and <= 0x2FFB)
            or 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E)
            or 0xE0001 or (>= 0xE0020 and <= 0xE007F);
}
