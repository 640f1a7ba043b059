using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Bifro.MqttEdge.Delivery.Matching;

/// <summary>
/// One tenant's route table: a trie over topic levels mapping MQTT topic filters to subscribers. Many publishing
/// threads call <see cref="Match(ReadOnlySpan{byte}, MatchCollector{TSubscriber}, TSubscriber?)"/> without a lock
/// while subscriptions change; <see cref="Add"/>, <see cref="Remove"/> and <see cref="RemoveAll"/> serialize on a
/// write lock.
/// </summary>
/// <typeparam name="TSubscriber">
/// Who receives messages: a local connection's delivery target, a remote edge's route or an offline session's
/// inbox. Identity is reference equality; the tree never calls Equals or GetHashCode overrides.
/// </typeparam>
/// <remarks>
/// <para>
/// A subscription is keyed by (subscriber, filter, share group). Adding an existing key replaces its options
/// [MQTT-3.8.4-3]. Each subscription is also linked into its subscriber's list (a reverse index), so
/// <see cref="RemoveAll"/> needs nothing from the caller and a single remove is O(1) once found. Finding a key
/// walks the node's slots and the subscriber's list in step and stops at whichever ends first, so it costs
/// O(min(subscribers on the filter, subscriptions of the subscriber)) without a per-node index.
/// </para>
/// <para>
/// Readers never see a torn state: every reader-visible field is a reference or a 64-bit word replaced whole.
/// A reader may see a change late, or see one of two changes made during its walk. To keep one entry per
/// subscriber even then, the tree carries a sequence number that writers make odd while they change slots and
/// even when done: a match whose walk overlapped a change merges the whole result instead of only the entries
/// of subscribers that have several subscriptions.
/// </para>
/// </remarks>
internal sealed partial class TopicTree<TSubscriber>
    where TSubscriber : class
{
    private readonly Node _root = new(string.Empty, parent: null);
    private readonly Lock _writeLock = new();

    /// <summary>The head of each subscriber's list of subscriptions (writer only).</summary>
    private readonly Dictionary<TSubscriber, Subscription> _bySubscriber = new(ReferenceEqualityComparer.Instance);

    private int _version;
    private int _subscriptionCount;
    private int _sharedSubscriptionCount;
    private int _nodeCount;
    private int _subscriberCount;

    /// <summary>All subscriptions, shared ones included.</summary>
    public int SubscriptionCount => Volatile.Read(ref _subscriptionCount);

    /// <summary>Subscriptions that belong to a share group.</summary>
    public int SharedSubscriptionCount => Volatile.Read(ref _sharedSubscriptionCount);

    /// <summary>Distinct subscribers with at least one subscription.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscriberCount);

    /// <summary>Trie nodes, not counting the root: 0 for an empty tree.</summary>
    public int NodeCount => Volatile.Read(ref _nodeCount);

    /// <summary>
    /// Adds a subscription, or replaces the options of the one with the same subscriber, filter and share group.
    /// </summary>
    /// <param name="subscriber">Who receives the messages.</param>
    /// <param name="filter">The topic filter, without the "$share/{group}/" prefix.</param>
    /// <param name="options">QoS, No Local, Retain As Published, subscription identifier.</param>
    /// <param name="shareGroup">The share name of a shared subscription, or null.</param>
    /// <returns>True when added, false when an existing subscription's options were replaced.</returns>
    public bool Add(TSubscriber subscriber, string filter, RouteOptions options, string? shareGroup = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ValidateFilter(filter);
        ValidateShareGroup(shareGroup);
        lock (_writeLock)
        {
            Node node = GetOrAddNode(filter);
            ref Subscription? head = ref CollectionsMarshal.GetValueRefOrAddDefault(_bySubscriber, subscriber, out bool known);
            if (shareGroup is null)
            {
                Subscription? existing = known ? Find(head, node, node.Slots, node.SlotTail, subscriber) : null;
                if (existing is not null)
                {
                    existing.OptionsBits = options.Bits;
                    return false;
                }

                var subscription = new Subscription(subscriber, node, options);
                BeginChange();
                Link(ref head, subscription);
                node.AddSubscription(subscription);
                EndChange();
            }
            else
            {
                ShareGroup group = node.FindGroup(shareGroup) ?? node.AddGroup(shareGroup);
                Subscription[] members = group.Members;
                Subscription? existing = known ? Find(head, group, members, members.Length, subscriber) : null;
                if (existing is not null)
                {
                    existing.OptionsBits = options.Bits;
                    return false;
                }

                var subscription = new Subscription(subscriber, group, options);
                BeginChange();
                Link(ref head, subscription);
                group.Add(subscription);
                EndChange();
                Volatile.Write(ref _sharedSubscriptionCount, _sharedSubscriptionCount + 1);
            }

            if (!known)
            {
                Volatile.Write(ref _subscriberCount, _subscriberCount + 1);
            }

            Volatile.Write(ref _subscriptionCount, _subscriptionCount + 1);
            return true;
        }
    }

    /// <summary>Removes one subscription.</summary>
    /// <param name="subscriber">Who receives the messages.</param>
    /// <param name="filter">The topic filter, without the "$share/{group}/" prefix.</param>
    /// <param name="shareGroup">The share name of a shared subscription, or null.</param>
    /// <returns>Whether the subscription existed.</returns>
    public bool Remove(TSubscriber subscriber, string filter, string? shareGroup = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(filter);
        lock (_writeLock)
        {
            if (!_bySubscriber.TryGetValue(subscriber, out Subscription? head))
            {
                return false;
            }

            Node? node = FindNode(filter);
            if (node is null)
            {
                return false;
            }

            Subscription? subscription;
            if (shareGroup is null)
            {
                subscription = Find(head, node, node.Slots, node.SlotTail, subscriber);
            }
            else
            {
                ShareGroup? group = node.FindGroup(shareGroup);
                Subscription[] members = group?.Members ?? [];
                subscription = group is null ? null : Find(head, group, members, members.Length, subscriber);
            }

            if (subscription is null)
            {
                return false;
            }

            BeginChange();
            Unlink(subscription);
            Detach(subscription);
            EndChange();
            return true;
        }
    }

    /// <summary>Removes every subscription of a subscriber, for session teardown.</summary>
    /// <returns>How many subscriptions were removed.</returns>
    public int RemoveAll(TSubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_writeLock)
        {
            if (!_bySubscriber.Remove(subscriber, out Subscription? head))
            {
                return 0;
            }

            int removed = 0;
            BeginChange();
            for (Subscription? subscription = head; subscription is not null;)
            {
                Subscription? next = subscription.Next;
                subscription.Previous = null;
                subscription.Next = null;
                Detach(subscription);
                removed++;
                subscription = next;
            }

            EndChange();
            Volatile.Write(ref _subscriberCount, _subscriberCount - 1);
            return removed;
        }
    }

    /// <summary>Reads the options of one subscription, for diagnostics and tests.</summary>
    public bool TryGetOptions(TSubscriber subscriber, string filter, string? shareGroup, out RouteOptions options)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(filter);
        lock (_writeLock)
        {
            options = default;
            if (!_bySubscriber.TryGetValue(subscriber, out Subscription? head) || FindNode(filter) is not { } node)
            {
                return false;
            }

            Subscription? subscription;
            if (shareGroup is null)
            {
                subscription = Find(head, node, node.Slots, node.SlotTail, subscriber);
            }
            else
            {
                ShareGroup? group = node.FindGroup(shareGroup);
                Subscription[] members = group?.Members ?? [];
                subscription = group is null ? null : Find(head, group, members, members.Length, subscriber);
            }

            if (subscription is null)
            {
                return false;
            }

            options = RouteOptions.FromBits(subscription.OptionsBits);
            return true;
        }
    }

    /// <summary>
    /// Finds the subscription of <paramref name="subscriber"/> owned by <paramref name="owner"/>, walking the
    /// owner's slots and the subscriber's list in step: O(min(slots, list)).
    /// </summary>
    private static Subscription? Find(
        Subscription? head, object owner, Subscription?[]? slots, int slotCount, TSubscriber subscriber)
    {
        Subscription? listItem = head;
        int slot = 0;
        while (true)
        {
            if (listItem is null)
            {
                return null;
            }

            if (ReferenceEquals(listItem.Owner, owner))
            {
                return listItem;
            }

            listItem = listItem.Next;
            if (slots is null || slot >= slotCount)
            {
                return null;
            }

            Subscription? candidate = slots[slot++];
            if (candidate is not null && ReferenceEquals(candidate.Subscriber, subscriber))
            {
                return candidate;
            }
        }
    }

    /// <summary>Links a new subscription at the head of its subscriber's list.</summary>
    private static void Link(ref Subscription? head, Subscription subscription)
    {
        if (head is not null)
        {
            // The subscriber now has several subscriptions: a topic may match more than one of them.
            subscription.MayOverlap = true;
            head.MayOverlap = true;
            subscription.Next = head;
            head.Previous = subscription;
        }

        head = subscription;
    }

    /// <summary>Unlinks a subscription from its subscriber's list, dropping the list when it empties.</summary>
    private void Unlink(Subscription subscription)
    {
        ref Subscription head = ref CollectionsMarshal.GetValueRefOrNullRef(_bySubscriber, subscription.Subscriber);
        if (subscription.Previous is null)
        {
            // Null only for a moment: the entry is removed below when the list empties.
            head = subscription.Next!;
        }
        else
        {
            subscription.Previous.Next = subscription.Next;
        }

        if (subscription.Next is not null)
        {
            subscription.Next.Previous = subscription.Previous;
        }

        subscription.Previous = null;
        subscription.Next = null;
        if (head is null)
        {
            _bySubscriber.Remove(subscription.Subscriber);
            Volatile.Write(ref _subscriberCount, _subscriberCount - 1);
        }
        else if (head.Next is null)
        {
            head.MayOverlap = false;
        }
    }

    /// <summary>Takes a subscription out of its node or group and prunes what became empty.</summary>
    private void Detach(Subscription subscription)
    {
        Node node;
        if (subscription.Owner is ShareGroup group)
        {
            group.Remove(subscription);
            node = group.Node;
            if (group.Members.Length == 0)
            {
                node.RemoveGroup(group);
            }

            Volatile.Write(ref _sharedSubscriptionCount, _sharedSubscriptionCount - 1);
        }
        else
        {
            node = (Node)subscription.Owner;
            node.RemoveSubscription(subscription);
        }

        Volatile.Write(ref _subscriptionCount, _subscriptionCount - 1);
        Prune(node);
    }

    /// <summary>Unlinks empty nodes from the given one up towards the root.</summary>
    private void Prune(Node node)
    {
        while (node.Parent is { } parent && node.IsEmpty)
        {
            parent.RemoveChild(node);
            Volatile.Write(ref _nodeCount, _nodeCount - 1);
            node = parent;
        }
    }

    private Node GetOrAddNode(string filter)
    {
        Node node = _root;
        ReadOnlySpan<char> rest = filter;
        while (true)
        {
            int separator = rest.IndexOf('/');
            ReadOnlySpan<char> level = separator < 0 ? rest : rest[..separator];
            node = node.GetOrAddChild(level, out bool created);
            if (created)
            {
                Volatile.Write(ref _nodeCount, _nodeCount + 1);
            }

            if (separator < 0)
            {
                return node;
            }

            rest = rest[(separator + 1)..];
        }
    }

    private Node? FindNode(string filter)
    {
        Node? node = _root;
        ReadOnlySpan<char> rest = filter;
        while (true)
        {
            int separator = rest.IndexOf('/');
            ReadOnlySpan<char> level = separator < 0 ? rest : rest[..separator];
            node = level switch
            {
                "+" => node.SingleLevelWildcard,
                "#" => node.MultiLevelWildcard,
                _ => node.FindChild(level),
            };
            if (node is null || separator < 0)
            {
                return node;
            }

            rest = rest[(separator + 1)..];
        }
    }

    /// <summary>Opens a change of slots or overlap flags: readers that overlap it merge their whole result.</summary>
    private void BeginChange()
    {
        // A full fence: the odd value must be visible before any slot changes.
        Interlocked.Increment(ref _version);
    }

    /// <summary>Closes a change; the release store publishes the slot changes before the even value.</summary>
    private void EndChange()
    {
        Volatile.Write(ref _version, _version + 1);
    }

    private static void ValidateFilter(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!TopicFilter.IsValid(filter))
        {
            ThrowInvalidFilter(filter);
        }
    }

    private static void ValidateShareGroup(string? shareGroup)
    {
        // [MQTT-4.8.2-1] [MQTT-4.8.2-2] A share name is at least one character, without '/', '+' or '#'.
        if (shareGroup is not null && (shareGroup.Length == 0 || shareGroup.AsSpan().IndexOfAny("/+#") >= 0))
        {
            ThrowInvalidShareGroup(shareGroup);
        }
    }

    [DoesNotReturn]
    private static void ThrowInvalidFilter(string filter) =>
        throw new ArgumentException($"'{filter}' is not a valid topic filter.", nameof(filter));

    [DoesNotReturn]
    private static void ThrowInvalidShareGroup(string shareGroup) =>
        throw new ArgumentException($"'{shareGroup}' is not a valid share name.", nameof(shareGroup));
}
