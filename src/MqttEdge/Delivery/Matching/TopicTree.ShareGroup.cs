namespace Bifro.MqttEdge.Delivery.Matching;

internal sealed partial class TopicTree<TSubscriber>
{
    /// <summary>
    /// The members of one shared subscription ($share/{group}/{filter}) at the node of its filter. Each matching
    /// message goes to exactly one member, picked round-robin.
    /// </summary>
    /// <remarks>
    /// Members are a dense copy-on-write array: a pick is an index modulo the length, which is only even when
    /// no slot is empty. Groups are small next to fan-out nodes, so the O(n) copy per change is cheap.
    /// </remarks>
    internal sealed class ShareGroup
    {
        private Subscription[] _members = [];
        private int _next;

        public ShareGroup(string name, Node node)
        {
            Name = name;
            Node = node;
        }

        /// <summary>The share name.</summary>
        public string Name { get; }

        /// <summary>The node of the group's filter.</summary>
        public Node Node { get; }

        /// <summary>The members; an immutable snapshot.</summary>
        public Subscription[] Members => Volatile.Read(ref _members);

        /// <summary>Picks the member that receives the next message, or null when the group has none.</summary>
        public Subscription? Pick()
        {
            Subscription[] members = Members;
            if (members.Length <= 1)
            {
                // No counter traffic between publishing threads for a group of one.
                return members.Length == 0 ? null : members[0];
            }

            uint ticket = (uint)Interlocked.Increment(ref _next) - 1;
            return members[(int)(ticket % (uint)members.Length)];
        }

        /// <summary>Adds a member. Writer only.</summary>
        public void Add(Subscription member)
        {
            Subscription[] members = _members;
            var copy = new Subscription[members.Length + 1];
            members.CopyTo(copy, 0);
            member.Slot = members.Length;
            copy[members.Length] = member;
            Volatile.Write(ref _members, copy);
        }

        /// <summary>Removes a member. Writer only.</summary>
        public void Remove(Subscription member)
        {
            Subscription[] members = _members;
            int slot = member.Slot;
            if (members.Length == 1)
            {
                Volatile.Write(ref _members, []);
                return;
            }

            var copy = new Subscription[members.Length - 1];
            Array.Copy(members, 0, copy, 0, slot);
            for (int i = slot + 1; i < members.Length; i++)
            {
                Subscription moved = members[i];
                moved.Slot = i - 1;
                copy[i - 1] = moved;
            }

            Volatile.Write(ref _members, copy);
        }
    }
}
