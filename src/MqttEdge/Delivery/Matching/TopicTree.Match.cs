using System.Buffers;
using System.Diagnostics;
using System.Text.Unicode;

namespace Bifro.MqttEdge.Delivery.Matching;

internal sealed partial class TopicTree<TSubscriber>
{
    /// <summary>
    /// Finds every subscription matching a topic name and puts one entry per subscriber into
    /// <paramref name="collector"/> (which is reset first), plus one entry per matching share group.
    /// Lock-free, and allocation-free once the collector has grown to the size of the results.
    /// </summary>
    /// <param name="topic">The topic name as received: UTF-8, already validated (no wildcards, not empty).</param>
    /// <param name="collector">The calling thread's collector; see <see cref="MatchCollector{TSubscriber}"/>.</param>
    /// <param name="publisher">The publishing subscriber, for No Local; null when the publisher is not one.</param>
    /// <remarks>
    /// The topic is decoded to UTF-16 into the collector's buffer and children are looked up by
    /// <see cref="ReadOnlySpan{T}"/> of char: filters arrive as strings, so string keys avoid a second copy of
    /// every level as bytes, and the transcoding is vectorized (ASCII runs at memory speed).
    /// </remarks>
    public void Match(ReadOnlySpan<byte> topic, MatchCollector<TSubscriber> collector, TSubscriber? publisher = null)
    {
        ArgumentNullException.ThrowIfNull(collector);
        Span<char> buffer = collector.GetTopicBuffer(topic.Length);
        OperationStatus status = Utf8.ToUtf16(topic, buffer, out _, out int written);
        Debug.Assert(status == OperationStatus.Done, "The codec validates topic names as UTF-8.");
        MatchCore(buffer[..written], collector, publisher);
    }

    /// <summary>
    /// Finds every subscription matching a topic name; see
    /// <see cref="Match(ReadOnlySpan{byte}, MatchCollector{TSubscriber}, TSubscriber?)"/>.
    /// </summary>
    public void Match(ReadOnlySpan<char> topic, MatchCollector<TSubscriber> collector, TSubscriber? publisher = null)
    {
        ArgumentNullException.ThrowIfNull(collector);
        MatchCore(topic, collector, publisher);
    }

    private void MatchCore(ReadOnlySpan<char> topic, MatchCollector<TSubscriber> collector, TSubscriber? publisher)
    {
        collector.Reset();
        if (topic.IsEmpty)
        {
            // [MQTT-4.7.3-1] Topic names are at least one character long; nothing matches an empty one.
            return;
        }

        // [MQTT-4.7.2-1] Wildcards in the first level of a filter do not match topics starting with '$'.
        bool systemTopic = topic[0] == '$';
        int version = Volatile.Read(ref _version);

        // Depth-first with an explicit stack from the collector: a 30,000-level filter cannot overflow the
        // thread's stack. A frame is a node whose filter prefix matched the topic up to Start, the index where
        // the next topic level begins; topic.Length + 1 means every level has been consumed.
        collector.PushFrame(_root, 0);
        while (collector.TryPopFrame(out Node node, out int start))
        {
            bool wildcardsAllowed = start != 0 || !systemTopic;
            if (wildcardsAllowed && node.MultiLevelWildcard is { } multi)
            {
                // '#' matches the rest, and the parent level: "a/#" matches "a" (MQTT 5 section 4.7.1.2).
                Collect(multi, collector, publisher);
            }

            if (start > topic.Length)
            {
                Collect(node, collector, publisher);
                continue;
            }

            ReadOnlySpan<char> rest = topic[start..];
            int separator = rest.IndexOf('/');
            ReadOnlySpan<char> level;
            int next;
            if (separator < 0)
            {
                level = rest;
                next = topic.Length + 1;
            }
            else
            {
                level = rest[..separator];
                next = start + separator + 1;
            }

            if (wildcardsAllowed && node.SingleLevelWildcard is { } single)
            {
                // '+' matches exactly one level, an empty one too.
                collector.PushFrame(single, next);
            }

            if (node.FindChild(level) is { } child)
            {
                collector.PushFrame(child, next);
            }
        }

        // Seqlock check: if a writer changed slots or overlap flags during the walk, the fast dedup that trusts
        // MayOverlap may have let a subscriber through twice, so merge the whole result.
        Interlocked.MemoryBarrier();
        bool changed = (version & 1) != 0 || Volatile.Read(ref _version) != version;
        collector.Complete(changed);
    }

    private static void Collect(Node node, MatchCollector<TSubscriber> collector, TSubscriber? publisher)
    {
        Subscription?[]? slots = node.Slots;
        if (slots is not null)
        {
            for (int i = 0; i < slots.Length; i++)
            {
                Subscription? subscription = Volatile.Read(ref slots[i]);
                if (subscription is null)
                {
                    continue;
                }

                ulong options = subscription.OptionsBits;

                // [MQTT-3.8.3-3] No Local: not to the client that published it. Per subscription, before merging.
                if ((options & RouteOptions.NoLocalBit) != 0 && ReferenceEquals(subscription.Subscriber, publisher))
                {
                    continue;
                }

                collector.Add(subscription.Subscriber, options, subscription.MayOverlap);
            }
        }

        ShareGroup[]? groups = node.Groups;
        if (groups is not null)
        {
            for (int i = 0; i < groups.Length; i++)
            {
                ShareGroup group = groups[i];

                // One member of the group per message (section 4.8.2); No Local does not apply [MQTT-3.8.3-4].
                if (group.Pick() is { } member)
                {
                    collector.AddShared(member.Subscriber, group.Name, member.OptionsBits);
                }
            }
        }
    }
}
