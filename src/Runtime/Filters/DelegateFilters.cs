namespace Bifro.Runtime.Filters;

internal sealed class IncomingDelegateFilter(IncomingGrainCallFilterDelegate filter) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context) => filter(context);
}

internal sealed class OutgoingDelegateFilter(OutgoingGrainCallFilterDelegate filter) : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context) => filter(context);
}
