namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>A PUBLISH as mosquitto_sub -d reported it: "received PUBLISH (d0, q1, r0, m1, 'a/b', ... (5 bytes))".</summary>
internal sealed record ReceivedPublish(bool Dup, int QoS, bool Retain, string Topic);
