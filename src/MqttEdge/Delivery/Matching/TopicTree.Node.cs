using System.Runtime.CompilerServices;

namespace Bifro.MqttEdge.Delivery.Matching;

internal sealed partial class TopicTree<TSubscriber>
{
    /// <summary>
    /// One level of the trie. Publishing threads read it without a lock; every field a reader follows is
    /// replaced whole (an array or a reference) with a release store, so a reader sees either the old or the new
    /// value, never a half-built one. All mutators run under the tree's write lock.
    /// </summary>
    internal sealed class Node
    {
        /// <summary>Up to this many children are kept in a plain array scanned linearly; more go to a hash table.</summary>
        private const int MaxArrayChildren = 8;

        /// <summary>A table shrinking to this many children goes back to an array.</summary>
        private const int MinTableChildren = 4;

        /// <summary>Children by exact level: null, a <see cref="Node"/>[] (copy-on-write) or a <see cref="ChildTable"/>.</summary>
        private object? _children;
        private Node? _singleLevelWildcard;
        private Node? _multiLevelWildcard;

        /// <summary>
        /// Non-shared subscriptions. Appended at <see cref="_tail"/>; a removal leaves a null slot. Slots of an array
        /// are only ever cleared or filled in place; compaction and growth copy into a new array, so a reader
        /// iterating an array never misses an entry that was there for its whole iteration.
        /// </summary>
        private Subscription?[]? _slots;
        private int _tail;
        private int _live;
        private ShareGroup[]? _groups;

        public Node(string level, Node? parent)
        {
            Level = level;
            Parent = parent;
        }

        /// <summary>The level this node stands for ("+" and "#" for the wildcards).</summary>
        public string Level { get; }

        /// <summary>The parent node, null for the root.</summary>
        public Node? Parent { get; }

        /// <summary>The child for '+'.</summary>
        public Node? SingleLevelWildcard => Volatile.Read(ref _singleLevelWildcard);

        /// <summary>The child for '#'.</summary>
        public Node? MultiLevelWildcard => Volatile.Read(ref _multiLevelWildcard);

        /// <summary>The non-shared subscription slots (may contain nulls), or null.</summary>
        public Subscription?[]? Slots => Volatile.Read(ref _slots);

        /// <summary>The share groups with a member at this node, or null.</summary>
        public ShareGroup[]? Groups => Volatile.Read(ref _groups);

        /// <summary>Live non-shared subscriptions (writer state).</summary>
        public int SubscriptionCount => _live;

        /// <summary>Used length of <see cref="Slots"/> (writer state).</summary>
        public int SlotTail => _tail;

        /// <summary>Whether nothing hangs off this node any more, so that it can be pruned (writer only).</summary>
        public bool IsEmpty =>
            _live == 0 && _groups is null && _children is null && _singleLevelWildcard is null && _multiLevelWildcard is null;

        /// <summary>Finds the child for an exact level. Lock-free.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Node? FindChild(ReadOnlySpan<char> level)
        {
            object? children = Volatile.Read(ref _children);
            if (children is null)
            {
                return null;
            }

            if (children is ChildTable table)
            {
                return table.Lookup.TryGetValue(level, out Node? found) ? found : null;
            }

            Node[] array = Unsafe.As<Node[]>(children);
            for (int i = 0; i < array.Length; i++)
            {
                Node child = array[i];
                if (level.SequenceEqual(child.Level))
                {
                    return child;
                }
            }

            return null;
        }

        /// <summary>Finds or creates the child for a filter level. Writer only.</summary>
        public Node GetOrAddChild(ReadOnlySpan<char> level, out bool created)
        {
            created = false;
            if (level is "+")
            {
                Node? plus = _singleLevelWildcard;
                if (plus is null)
                {
                    plus = new Node("+", this);
                    Volatile.Write(ref _singleLevelWildcard, plus);
                    created = true;
                }

                return plus;
            }

            if (level is "#")
            {
                Node? hash = _multiLevelWildcard;
                if (hash is null)
                {
                    hash = new Node("#", this);
                    Volatile.Write(ref _multiLevelWildcard, hash);
                    created = true;
                }

                return hash;
            }

            Node? existing = FindChild(level);
            if (existing is not null)
            {
                return existing;
            }

            var child = new Node(level.ToString(), this);
            created = true;
            switch (_children)
            {
                case null:
                    Volatile.Write(ref _children, new[] { child });
                    break;
                case ChildTable table:
                    table.Map[child.Level] = child;
                    break;
                default:
                    var array = Unsafe.As<Node[]>(_children);
                    if (array.Length < MaxArrayChildren)
                    {
                        var copy = new Node[array.Length + 1];
                        array.CopyTo(copy, 0);
                        copy[array.Length] = child;
                        Volatile.Write(ref _children, copy);
                    }
                    else
                    {
                        var promoted = new ChildTable();
                        foreach (Node sibling in array)
                        {
                            promoted.Map[sibling.Level] = sibling;
                        }

                        promoted.Map[child.Level] = child;
                        Volatile.Write(ref _children, promoted);
                    }

                    break;
            }

            return child;
        }

        /// <summary>Unlinks an empty child. Writer only.</summary>
        public void RemoveChild(Node child)
        {
            if (ReferenceEquals(child, _singleLevelWildcard))
            {
                Volatile.Write(ref _singleLevelWildcard, null);
                return;
            }

            if (ReferenceEquals(child, _multiLevelWildcard))
            {
                Volatile.Write(ref _multiLevelWildcard, null);
                return;
            }

            if (_children is ChildTable table)
            {
                table.Map.TryRemove(child.Level, out _);
                if (table.Map.Count <= MinTableChildren)
                {
                    var demoted = new Node[table.Map.Count];
                    int i = 0;
                    foreach (KeyValuePair<string, Node> pair in table.Map)
                    {
                        demoted[i++] = pair.Value;
                    }

                    Volatile.Write<object?>(ref _children, demoted.Length == 0 ? null : demoted);
                }

                return;
            }

            if (_children is Node[] array)
            {
                int index = Array.IndexOf(array, child);
                if (index < 0)
                {
                    return;
                }

                if (array.Length == 1)
                {
                    Volatile.Write(ref _children, null);
                    return;
                }

                var copy = new Node[array.Length - 1];
                Array.Copy(array, 0, copy, 0, index);
                Array.Copy(array, index + 1, copy, index, array.Length - index - 1);
                Volatile.Write(ref _children, copy);
            }
        }

        /// <summary>Appends a non-shared subscription. Writer only.</summary>
        public void AddSubscription(Subscription subscription)
        {
            Subscription?[]? slots = _slots;
            if (slots is null)
            {
                slots = new Subscription?[1];
                _tail = 0;
                Volatile.Write(ref _slots, slots);
            }
            else if (_tail == slots.Length)
            {
                // Full: compact into a new array, twice as large unless at least half the slots are holes.
                int capacity = _live <= slots.Length / 2 ? slots.Length : slots.Length * 2;
                slots = Compact(slots, capacity);
                Volatile.Write(ref _slots, slots);
            }

            subscription.Slot = _tail;
            Volatile.Write(ref slots[_tail], subscription);
            _tail++;
            _live++;
        }

        /// <summary>Removes a non-shared subscription. Writer only.</summary>
        public void RemoveSubscription(Subscription subscription)
        {
            Subscription?[] slots = _slots!;
            Volatile.Write(ref slots[subscription.Slot], null);
            _live--;
            if (_live == 0)
            {
                Volatile.Write(ref _slots, null);
                _tail = 0;
            }
            else if (slots.Length >= 8 && _live <= slots.Length / 4)
            {
                Volatile.Write(ref _slots, Compact(slots, slots.Length / 2));
            }
        }

        /// <summary>Finds the share group with this name. Writer only.</summary>
        public ShareGroup? FindGroup(string name)
        {
            ShareGroup[]? groups = _groups;
            if (groups is not null)
            {
                foreach (ShareGroup group in groups)
                {
                    if (string.Equals(group.Name, name, StringComparison.Ordinal))
                    {
                        return group;
                    }
                }
            }

            return null;
        }

        /// <summary>Adds an empty share group. Writer only.</summary>
        public ShareGroup AddGroup(string name)
        {
            var group = new ShareGroup(name, this);
            ShareGroup[]? groups = _groups;
            if (groups is null)
            {
                Volatile.Write(ref _groups, [group]);
            }
            else
            {
                var copy = new ShareGroup[groups.Length + 1];
                groups.CopyTo(copy, 0);
                copy[groups.Length] = group;
                Volatile.Write(ref _groups, copy);
            }

            return group;
        }

        /// <summary>Removes an empty share group. Writer only.</summary>
        public void RemoveGroup(ShareGroup group)
        {
            ShareGroup[] groups = _groups!;
            if (groups.Length == 1)
            {
                Volatile.Write(ref _groups, null);
                return;
            }

            var copy = new ShareGroup[groups.Length - 1];
            int j = 0;
            foreach (ShareGroup candidate in groups)
            {
                if (!ReferenceEquals(candidate, group))
                {
                    copy[j++] = candidate;
                }
            }

            Volatile.Write(ref _groups, copy);
        }

        private Subscription?[] Compact(Subscription?[] slots, int capacity)
        {
            var compacted = new Subscription?[capacity];
            int j = 0;
            for (int i = 0; i < _tail; i++)
            {
                Subscription? subscription = slots[i];
                if (subscription is not null)
                {
                    subscription.Slot = j;
                    compacted[j++] = subscription;
                }
            }

            _tail = j;
            return compacted;
        }
    }
}
