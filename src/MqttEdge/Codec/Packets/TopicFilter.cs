using System.Text;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// A topic filter of SUBSCRIBE or UNSUBSCRIBE with the outcome of its syntax check. An invalid filter
/// does not fail its packet: a 5.0 broker answers it with 0x8F (Topic Filter invalid) in SUBACK or
/// UNSUBACK, a 3.1.1 broker closes the connection. Ill-formed UTF-8 does fail the packet.
/// </summary>
/// <param name="Filter">The filter as received, <c>$share/</c> prefix included.</param>
/// <param name="IsValid">Syntax per section 4.7.1 (and 4.8.2 for a shared subscription).</param>
/// <param name="ShareName">The ShareName of a valid <c>$share/{ShareName}/{filter}</c>, else null.</param>
/// <param name="SharedFilter">The filter part of a valid shared subscription, else null.</param>
internal readonly record struct TopicFilter(string Filter, bool IsValid, string? ShareName, string? SharedFilter)
{
    /// <summary>True for a valid shared subscription.</summary>
    public bool IsShared => ShareName is not null;

    /// <summary>The filter to match topics against: <see cref="SharedFilter"/> when shared, else <see cref="Filter"/>.</summary>
    public string MatchFilter => SharedFilter ?? Filter;

    /// <summary>Parses a filter given as validated UTF-8 (the decoders' path).</summary>
    public static TopicFilter Parse(ReadOnlySpan<byte> utf8)
    {
        var filter = Encoding.UTF8.GetString(utf8);
        switch (SharedSubscription.TryParse(utf8, out var shareName, out var sharedFilter))
        {
            case SharedSubscriptionStatus.Valid:
                return new TopicFilter(filter, true, Encoding.UTF8.GetString(shareName), Encoding.UTF8.GetString(sharedFilter));
            case SharedSubscriptionStatus.Invalid:
                return new TopicFilter(filter, false, null, null);
            default:
                return new TopicFilter(filter, TopicValidator.IsValidTopicFilter(utf8), null, null);
        }
    }

    /// <summary>Parses a filter given as a string (the writers' and tests' path).</summary>
    public static TopicFilter Parse(string filter) => Parse(Encoding.UTF8.GetBytes(filter));

    public static implicit operator TopicFilter(string filter) => Parse(filter);
}
