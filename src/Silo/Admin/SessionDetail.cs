namespace Bifro.Silo.Admin;

/// <summary>One session in full: its subscriptions and, when connected, what its node knows of the connection.</summary>
internal sealed record SessionDetail(SessionSummary Session, List<SubscriptionView> Subscriptions, ConnectionDetail? Connection);
