using Bifro.Runtime;
using Bifro.Runtime.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Hosting;

/// <summary>Grain call filter registration (Orleans' GrainCallFilterSiloBuilderExtensions).</summary>
public static class GrainCallFilterHostingExtensions
{
    public static ISiloBuilder AddIncomingGrainCallFilter(this ISiloBuilder builder, IIncomingGrainCallFilter filter)
    {
        builder.Services.AddSingleton(filter);
        return builder;
    }

    public static ISiloBuilder AddIncomingGrainCallFilter<TImplementation>(this ISiloBuilder builder)
        where TImplementation : class, IIncomingGrainCallFilter
    {
        builder.Services.AddSingleton<IIncomingGrainCallFilter, TImplementation>();
        return builder;
    }

    public static ISiloBuilder AddIncomingGrainCallFilter(this ISiloBuilder builder, IncomingGrainCallFilterDelegate filter) =>
        builder.AddIncomingGrainCallFilter(new IncomingDelegateFilter(filter));

    public static ISiloBuilder AddOutgoingGrainCallFilter(this ISiloBuilder builder, IOutgoingGrainCallFilter filter)
    {
        builder.Services.AddSingleton(filter);
        return builder;
    }

    public static ISiloBuilder AddOutgoingGrainCallFilter<TImplementation>(this ISiloBuilder builder)
        where TImplementation : class, IOutgoingGrainCallFilter
    {
        builder.Services.AddSingleton<IOutgoingGrainCallFilter, TImplementation>();
        return builder;
    }

    public static ISiloBuilder AddOutgoingGrainCallFilter(this ISiloBuilder builder, OutgoingGrainCallFilterDelegate filter) =>
        builder.AddOutgoingGrainCallFilter(new OutgoingDelegateFilter(filter));
}
