using System.Text;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

internal sealed partial class ConnectPacket
{
    /// <summary>Mutable state while decoding; the packet itself is init-only.</summary>
    private sealed class Builder
    {
        public ProtocolVersion Version;
        public string ClientId = "";
        public bool CleanStart;
        public ushort KeepAlive;
        public string? UserName;
        public byte[]? Password;
        public WillMessage? Will;
        public uint? SessionExpiryInterval;
        public ushort? ReceiveMaximum;
        public uint? MaximumPacketSize;
        public ushort? TopicAliasMaximum;
        public bool? RequestResponseInformation;
        public bool? RequestProblemInformation;
        public List<UserProperty>? UserProperties;
        public string? AuthenticationMethod;
        public byte[]? AuthenticationData;

        /// <summary>CONNECT properties (section 3.1.2.11).</summary>
        public bool TryReadConnectProperties(ReadOnlySpan<byte> block, out DecodeError error)
        {
            var properties = new PropertyReader(block, PropertyContext.Connect);
            while (properties.TryRead(out var property))
            {
                switch (property.Id)
                {
                    case PropertyId.SessionExpiryInterval: SessionExpiryInterval = property.Number; break;
                    case PropertyId.ReceiveMaximum: ReceiveMaximum = (ushort)property.Number; break;
                    case PropertyId.MaximumPacketSize: MaximumPacketSize = property.Number; break;
                    case PropertyId.TopicAliasMaximum: TopicAliasMaximum = (ushort)property.Number; break;
                    case PropertyId.RequestResponseInformation: RequestResponseInformation = property.Number == 1; break;
                    case PropertyId.RequestProblemInformation: RequestProblemInformation = property.Number == 1; break;
                    case PropertyId.UserProperty: DiagnosticProperties.AddUserProperty(ref UserProperties, property); break;
                    case PropertyId.AuthenticationMethod: AuthenticationMethod = PropertyReader.ToString(property.Data); break;
                    case PropertyId.AuthenticationData: AuthenticationData = property.Data.ToArray(); break;
                }
            }

            error = properties.Error;
            if (error.IsError)
            {
                return false;
            }

            // §3.1.2.11.10 "It is a Protocol Error to include Authentication Data if there is no Authentication Method."
            if (AuthenticationData is not null && AuthenticationMethod is null)
            {
                error = DecodeError.ProtocolError("§3.1.2.11.10", "Authentication Data without Authentication Method");
                return false;
            }

            return true;
        }

        /// <summary>Will properties (5.0), will topic and will payload (section 3.1.3.2 to 3.1.3.4).</summary>
        public bool TryReadWill(ref PacketReader reader, byte connectFlags, bool isV5, out DecodeError error)
        {
            uint? willDelayInterval = null;
            byte? payloadFormatIndicator = null;
            uint? messageExpiryInterval = null;
            string? contentType = null;
            string? responseTopic = null;
            byte[]? correlationData = null;
            List<UserProperty>? userProperties = null;
            if (isV5)
            {
                if (!reader.TryReadPropertyBlock(out var block))
                {
                    error = reader.Error;
                    return false;
                }

                // The reader checks Response Topic syntax [MQTT-3.3.2-14] and the 0/1 payload format.
                var properties = new PropertyReader(block, PropertyContext.Will);
                while (properties.TryRead(out var property))
                {
                    switch (property.Id)
                    {
                        case PropertyId.WillDelayInterval: willDelayInterval = property.Number; break;
                        case PropertyId.PayloadFormatIndicator: payloadFormatIndicator = (byte)property.Number; break;
                        case PropertyId.MessageExpiryInterval: messageExpiryInterval = property.Number; break;
                        case PropertyId.ContentType: contentType = PropertyReader.ToString(property.Data); break;
                        case PropertyId.ResponseTopic: responseTopic = PropertyReader.ToString(property.Data); break;
                        case PropertyId.CorrelationData: correlationData = property.Data.ToArray(); break;
                        case PropertyId.UserProperty: DiagnosticProperties.AddUserProperty(ref userProperties, property); break;
                    }
                }

                if (properties.Error.IsError)
                {
                    error = properties.Error;
                    return false;
                }
            }

            // [MQTT-3.1.3-11] (5.0) The Will Topic MUST be a UTF-8 Encoded String; as a topic name it is
            // not empty and has no wildcard (TopicNameInvalid, which a 5.0 server answers with CONNACK 0x90).
            if (!reader.TryReadBinary(out var topic))
            {
                error = reader.Error;
                return false;
            }

            if (!TopicValidator.TryValidateTopicName(topic, out error))
            {
                return false;
            }

            // §3.1.3.4 The Will Payload is Binary Data.
            if (!reader.TryReadBinary(out var payload))
            {
                error = reader.Error;
                return false;
            }

            Will = new WillMessage
            {
                Topic = Encoding.UTF8.GetString(topic),
                Payload = payload.ToArray(),
                QoS = (QualityOfService)((connectFlags >> 3) & 0b11),
                Retain = (connectFlags & WillRetainFlag) != 0,
                WillDelayInterval = willDelayInterval,
                PayloadFormatIndicator = payloadFormatIndicator,
                MessageExpiryInterval = messageExpiryInterval,
                ContentType = contentType,
                ResponseTopic = responseTopic,
                CorrelationData = correlationData,
                UserProperties = userProperties,
            };
            return true;
        }

        public ConnectPacket Build() => new()
        {
            Version = Version,
            ClientId = ClientId,
            CleanStart = CleanStart,
            KeepAlive = KeepAlive,
            UserName = UserName,
            Password = Password,
            Will = Will,
            SessionExpiryInterval = SessionExpiryInterval,
            ReceiveMaximum = ReceiveMaximum,
            MaximumPacketSize = MaximumPacketSize,
            TopicAliasMaximum = TopicAliasMaximum,
            RequestResponseInformation = RequestResponseInformation,
            RequestProblemInformation = RequestProblemInformation,
            UserProperties = UserProperties,
            AuthenticationMethod = AuthenticationMethod,
            AuthenticationData = AuthenticationData,
        };
    }
}
