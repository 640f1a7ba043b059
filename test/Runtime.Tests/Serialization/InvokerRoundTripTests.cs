using System.Collections;
using System.Net;
using System.Reflection;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Tests.Grains;
using Bifro.Serialization;
using Bifro.Serialization.Invocation;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Runtime.Tests.Serialization;

/// <summary>
/// Every generated invoker of this assembly's grain and observer interfaces must carry its arguments
/// through the wire format (the path every call takes with SerializeLocalCalls, and between silos).
/// </summary>
public sealed class InvokerRoundTripTests
{
    [Fact(Timeout = 30_000)]
    public async Task EveryGeneratedInvoker_SampleArguments_RoundTripThroughTheWireFormat()
    {
        await using var silo = await TestSilo.StartAsync();
        var session = new SerializerSession(silo.Services.GetRequiredService<IGrainReferenceRuntime>());
        var samples = new Samples(session.Runtime!);
        var assembly = typeof(InvokerRoundTripTests).Assembly;
        var checkedCount = 0;

        foreach (var wireName in InvokableRegistry.WireNames.ToArray())
        {
            var request = InvokableRegistry.Create(wireName);
            if (request.GetInterfaceType().Assembly != assembly)
            {
                continue;
            }

            var parameters = request.GetMethod().GetParameters();
            Assert.Equal(parameters.Length, request.GetArgumentCount());
            for (var i = 0; i < parameters.Length; i++)
            {
                request.SetArgument(i, samples.For(parameters[i].ParameterType));
            }

            var written = Write(request, session);
            var reader = new Reader(written, session);
            var read = MessageSerializer.ReadRequest(ref reader);

            Assert.Equal(wireName, read.WireName);
            Assert.Equal(request.GetType(), read.GetType());
            for (var i = 0; i < parameters.Length; i++)
            {
                AssertSameValue(request.GetArgument(i), read.GetArgument(i), $"{wireName} argument {i} ({parameters[i].Name})");
            }

            // Written again, the read request gives the same bytes: nothing was lost or changed.
            Assert.Equal(written, Write(read, session));
            checkedCount++;
        }

        // Make sure the registry really held them: one invoker at least per method the test interfaces declare.
        var expected = assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
            .Sum(t => t.GetMethods().Length);
        Assert.True(expected > 40, $"the test interfaces declare only {expected} methods");
        Assert.True(checkedCount >= expected, $"checked {checkedCount} invokers; the test interfaces declare {expected} methods");
    }

    private static byte[] Write(RequestBase request, SerializerSession session)
    {
        using var writer = new Writer { Session = session };
        MessageSerializer.WriteRequest(writer, request);
        return writer.ToArray();
    }

    private static void AssertSameValue(object? expected, object? actual, string what)
    {
        switch (expected)
        {
            case null:
                Assert.Null(actual);
                break;
            case GrainReference reference:
                Assert.Equal(reference.GrainId, Assert.IsAssignableFrom<GrainReference>(actual).GrainId);
                break;
            case string or ValueType:
                Assert.True(Equals(expected, actual), $"{what}: {expected} became {actual}");
                break;
            case IEnumerable sequence when actual is IEnumerable actualSequence:
                Assert.Equal(sequence.Cast<object?>().Count(), actualSequence.Cast<object?>().Count());
                break;
            default:
                Assert.True(expected.GetType() == actual?.GetType(), $"{what}: {expected.GetType()} became {actual?.GetType()}");
                break;
        }
    }

    /// <summary>A non-default value of each type the test interfaces use.</summary>
    private sealed class Samples(IGrainReferenceRuntime runtime)
    {
        public object? For(Type type)
        {
            if (type == typeof(string))
            {
                return "sample";
            }

            if (type == typeof(bool))
            {
                return true;
            }

            if (type.IsPrimitive || type == typeof(decimal))
            {
                return Convert.ChangeType(7, type, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (type.IsEnum)
            {
                return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1);
            }

            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                return For(underlying);
            }

            if (type == typeof(Guid))
            {
                return Guid.Parse("5d1f0b8e-6bb0-4b59-9b34-7d3a4e0e7a11");
            }

            if (type == typeof(DateTime))
            {
                return new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            }

            if (type == typeof(DateTimeOffset))
            {
                return new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));
            }

            if (type == typeof(TimeSpan))
            {
                return TimeSpan.FromSeconds(90);
            }

            if (type == typeof(CancellationToken))
            {
                return CancellationToken.None;
            }

            if (type == typeof(GrainId))
            {
                return GrainId.Create("counter", "sample");
            }

            if (type == typeof(GrainType))
            {
                return GrainType.Create("counter");
            }

            if (type == typeof(StreamId))
            {
                return StreamId.Create("ns", "key");
            }

            if (type == typeof(IPEndPoint))
            {
                return IPEndPoint.Parse("127.0.0.1:1883");
            }

            if (type == typeof(object))
            {
                return 11;
            }

            if (type == typeof(Exception) || typeof(Exception).IsAssignableFrom(type))
            {
                return new TestException("sample");
            }

            if (type.IsInterface && typeof(IAddressable).IsAssignableFrom(type))
            {
                var id = typeof(IGrainObserver).IsAssignableFrom(type)
                    ? GrainId.Create(ObserverRegistry.ObserverType.Value, "127.0.0.1:0@0/sample")
                    : GrainId.Create("counter", "sample");
                return GrainReferenceRegistry.Create(type, runtime, id);
            }

            if (type.IsArray)
            {
                var array = Array.CreateInstance(type.GetElementType()!, 1);
                array.SetValue(For(type.GetElementType()!), 0);
                return array;
            }

            if (type.IsGenericType)
            {
                var definition = type.GetGenericTypeDefinition();
                var args = type.GetGenericArguments();
                if (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
                {
                    var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
                    map.Add(For(args[0])!, For(args[1]));
                    return map;
                }

                if (definition == typeof(HashSet<>) || definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>))
                {
                    var set = Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(args))!;
                    set.GetType().GetMethod("Add")!.Invoke(set, [For(args[0])]);
                    return set;
                }

                if (typeof(IEnumerable).IsAssignableFrom(type))
                {
                    var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(args[0]))!;
                    list.Add(For(args[0]));
                    return list;
                }
            }

            return Construct(type);
        }

        private object Construct(Type type)
        {
            if (type.IsAbstract)
            {
                var concrete = type.Assembly.GetTypes().First(t => !t.IsAbstract && type.IsAssignableFrom(t));
                return Construct(concrete);
            }

            if (type.GetConstructor(Type.EmptyTypes) is { } parameterless)
            {
                return parameterless.Invoke([]);
            }

            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            return constructor.Invoke(constructor.GetParameters().Select(p => For(p.ParameterType)).ToArray());
        }
    }
}
