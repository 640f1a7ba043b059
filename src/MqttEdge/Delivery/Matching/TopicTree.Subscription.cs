namespace Bifro.MqttEdge.Delivery.Matching;

internal sealed partial class TopicTree<TSubscriber>
{
    /// <summary>
    /// One subscription: the object the tree's slots point at, and at the same time a link in its subscriber's
    /// list (the reverse index behind <see cref="RemoveAll"/>).
    /// </summary>
    /// <remarks>
    /// 64 bytes on 64-bit: header 16, five references 40, slot 4, flag 1. Readers only touch
    /// <see cref="Subscriber"/>, <see cref="OptionsBits"/> and <see cref="MayOverlap"/>; the rest is writer
    /// state guarded by the tree's write lock.
    /// </remarks>
    internal sealed class Subscription
    {
        private ulong _options;
        private bool _mayOverlap;

        public Subscription(TSubscriber subscriber, object owner, RouteOptions options)
        {
            Subscriber = subscriber;
            Owner = owner;
            _options = options.Bits;
        }

        /// <summary>Who receives the messages.</summary>
        public TSubscriber Subscriber { get; }

        /// <summary>The <see cref="Node"/> of a non-shared subscription, the <see cref="ShareGroup"/> of a shared one.</summary>
        public object Owner { get; }

        /// <summary>Where the subscription sits in its node's slots or its group's members (writer state).</summary>
        public int Slot { get; set; }

        /// <summary>The previous subscription of the same subscriber (writer state).</summary>
        public Subscription? Previous { get; set; }

        /// <summary>The next subscription of the same subscriber (writer state).</summary>
        public Subscription? Next { get; set; }

        /// <summary>The packed <see cref="RouteOptions"/>; replaced atomically on a re-subscribe.</summary>
        public ulong OptionsBits
        {
            get => Volatile.Read(ref _options);
            set => Volatile.Write(ref _options, value);
        }

        /// <summary>
        /// Whether the subscriber has other subscriptions in the tree, so that one topic may match it more than
        /// once and the match collector must merge. False lets a large fan-out skip the dedup table.
        /// </summary>
        public bool MayOverlap
        {
            get => Volatile.Read(ref _mayOverlap);
            set => Volatile.Write(ref _mayOverlap, value);
        }
    }
}
