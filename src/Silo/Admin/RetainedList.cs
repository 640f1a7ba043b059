namespace Bifro.Silo.Admin;

/// <summary>Retained messages matching a filter, by topic.</summary>
internal sealed record RetainedList(string Tenant, string Filter, List<RetainedMessageView> Messages, bool Truncated);
