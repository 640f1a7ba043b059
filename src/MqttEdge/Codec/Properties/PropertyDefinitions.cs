namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>The property table of section 2.2.2.2: each identifier's data type and where it may appear.</summary>
internal static class PropertyDefinitions
{
    /// <summary>Identifiers go up to 0x2A, so a 64-bit mask has one bit per identifier.</summary>
    public const int MaxId = 0x2A;

    private const PropertyContext PublishAndWill = PropertyContext.Publish | PropertyContext.Will;
    private const PropertyContext ConnectAndConnAck = PropertyContext.Connect | PropertyContext.ConnAck;

    /// <summary>Data type of <paramref name="id"/>, <see cref="PropertyType.None"/> if unknown.</summary>
    public static PropertyType GetType(int id) => (PropertyId)id switch
    {
        PropertyId.PayloadFormatIndicator => PropertyType.Byte,
        PropertyId.MessageExpiryInterval => PropertyType.FourByteInteger,
        PropertyId.ContentType => PropertyType.Utf8String,
        PropertyId.ResponseTopic => PropertyType.Utf8String,
        PropertyId.CorrelationData => PropertyType.BinaryData,
        PropertyId.SubscriptionIdentifier => PropertyType.VariableByteInteger,
        PropertyId.SessionExpiryInterval => PropertyType.FourByteInteger,
        PropertyId.AssignedClientIdentifier => PropertyType.Utf8String,
        PropertyId.ServerKeepAlive => PropertyType.TwoByteInteger,
        PropertyId.AuthenticationMethod => PropertyType.Utf8String,
        PropertyId.AuthenticationData => PropertyType.BinaryData,
        PropertyId.RequestProblemInformation => PropertyType.Byte,
        PropertyId.WillDelayInterval => PropertyType.FourByteInteger,
        PropertyId.RequestResponseInformation => PropertyType.Byte,
        PropertyId.ResponseInformation => PropertyType.Utf8String,
        PropertyId.ServerReference => PropertyType.Utf8String,
        PropertyId.ReasonString => PropertyType.Utf8String,
        PropertyId.ReceiveMaximum => PropertyType.TwoByteInteger,
        PropertyId.TopicAliasMaximum => PropertyType.TwoByteInteger,
        PropertyId.TopicAlias => PropertyType.TwoByteInteger,
        PropertyId.MaximumQoS => PropertyType.Byte,
        PropertyId.RetainAvailable => PropertyType.Byte,
        PropertyId.UserProperty => PropertyType.Utf8StringPair,
        PropertyId.MaximumPacketSize => PropertyType.FourByteInteger,
        PropertyId.WildcardSubscriptionAvailable => PropertyType.Byte,
        PropertyId.SubscriptionIdentifierAvailable => PropertyType.Byte,
        PropertyId.SharedSubscriptionAvailable => PropertyType.Byte,
        _ => PropertyType.None,
    };

    /// <summary>The property blocks in which <paramref name="id"/> may appear.</summary>
    public static PropertyContext GetAllowedContexts(PropertyId id) => id switch
    {
        PropertyId.PayloadFormatIndicator => PublishAndWill,
        PropertyId.MessageExpiryInterval => PublishAndWill,
        PropertyId.ContentType => PublishAndWill,
        PropertyId.ResponseTopic => PublishAndWill,
        PropertyId.CorrelationData => PublishAndWill,
        PropertyId.SubscriptionIdentifier => PropertyContext.Publish | PropertyContext.Subscribe,
        PropertyId.SessionExpiryInterval => ConnectAndConnAck | PropertyContext.Disconnect,
        PropertyId.AssignedClientIdentifier => PropertyContext.ConnAck,
        PropertyId.ServerKeepAlive => PropertyContext.ConnAck,
        PropertyId.AuthenticationMethod => ConnectAndConnAck | PropertyContext.Auth,
        PropertyId.AuthenticationData => ConnectAndConnAck | PropertyContext.Auth,
        PropertyId.RequestProblemInformation => PropertyContext.Connect,
        PropertyId.WillDelayInterval => PropertyContext.Will,
        PropertyId.RequestResponseInformation => PropertyContext.Connect,
        PropertyId.ResponseInformation => PropertyContext.ConnAck,
        PropertyId.ServerReference => PropertyContext.ConnAck | PropertyContext.Disconnect,
        PropertyId.ReasonString => PropertyContext.ConnAck | PropertyContext.Acks | PropertyContext.Disconnect | PropertyContext.Auth,
        PropertyId.ReceiveMaximum => ConnectAndConnAck,
        PropertyId.TopicAliasMaximum => ConnectAndConnAck,
        PropertyId.TopicAlias => PropertyContext.Publish,
        PropertyId.MaximumQoS => PropertyContext.ConnAck,
        PropertyId.RetainAvailable => PropertyContext.ConnAck,
        PropertyId.UserProperty => ConnectAndConnAck | PublishAndWill | PropertyContext.Acks | PropertyContext.Subscribe
            | PropertyContext.Unsubscribe | PropertyContext.Disconnect | PropertyContext.Auth,
        PropertyId.MaximumPacketSize => ConnectAndConnAck,
        PropertyId.WildcardSubscriptionAvailable => PropertyContext.ConnAck,
        PropertyId.SubscriptionIdentifierAvailable => PropertyContext.ConnAck,
        PropertyId.SharedSubscriptionAvailable => PropertyContext.ConnAck,
        _ => PropertyContext.None,
    };

    /// <summary>The section that defines <paramref name="id"/> and its range and repetition rules.</summary>
    public static string GetSection(PropertyId id) => id switch
    {
        PropertyId.PayloadFormatIndicator => "§3.3.2.3.2",
        PropertyId.MessageExpiryInterval => "§3.3.2.3.3",
        PropertyId.ContentType => "§3.3.2.3.9",
        PropertyId.ResponseTopic => "§3.3.2.3.5",
        PropertyId.CorrelationData => "§3.3.2.3.6",
        PropertyId.SubscriptionIdentifier => "§3.8.2.1.2",
        PropertyId.SessionExpiryInterval => "§3.1.2.11.2",
        PropertyId.AssignedClientIdentifier => "§3.2.2.3.7",
        PropertyId.ServerKeepAlive => "§3.2.2.3.14",
        PropertyId.AuthenticationMethod => "§3.1.2.11.9",
        PropertyId.AuthenticationData => "§3.1.2.11.10",
        PropertyId.RequestProblemInformation => "§3.1.2.11.7",
        PropertyId.WillDelayInterval => "§3.1.3.2.2",
        PropertyId.RequestResponseInformation => "§3.1.2.11.6",
        PropertyId.ResponseInformation => "§3.2.2.3.15",
        PropertyId.ServerReference => "§3.2.2.3.16",
        PropertyId.ReasonString => "§3.2.2.3.9",
        PropertyId.ReceiveMaximum => "§3.1.2.11.3",
        PropertyId.TopicAliasMaximum => "§3.1.2.11.5",
        PropertyId.TopicAlias => "MQTT-3.3.2-8",
        PropertyId.MaximumQoS => "§3.2.2.3.4",
        PropertyId.RetainAvailable => "§3.2.2.3.5",
        PropertyId.UserProperty => "§3.1.2.11.8",
        PropertyId.MaximumPacketSize => "§3.1.2.11.4",
        PropertyId.WildcardSubscriptionAvailable => "§3.2.2.3.11",
        PropertyId.SubscriptionIdentifierAvailable => "§3.2.2.3.12",
        PropertyId.SharedSubscriptionAvailable => "§3.2.2.3.13",
        _ => "§2.2.2.2",
    };
}
