namespace Bifro.Serialization.Invocation;

/// <summary>The base of invokers for methods returning Task or ValueTask.</summary>
public abstract class Request : RequestBase
{
    public override ValueTask<Response> Invoke()
    {
        try
        {
            var pending = InvokeInner();
            if (pending.IsCompletedSuccessfully)
            {
                return new ValueTask<Response>(Response.Completed);
            }

            return Await(pending);
        }
        catch (Exception exception)
        {
            return new ValueTask<Response>(Response.FromException(exception));
        }
    }

    public override void SerializeResponse(Writer writer, Response response) => SerializeResponseCore<object?>(writer, response);

    public override Response DeserializeResponse(ref Reader reader) => DeserializeResponseCore<object?>(ref reader, hasResult: false);

    protected abstract ValueTask InvokeInner();

    private static async ValueTask<Response> Await(ValueTask pending)
    {
        try
        {
            await pending;
            return Response.Completed;
        }
        catch (Exception exception)
        {
            return Response.FromException(exception);
        }
    }
}

/// <summary>The base of invokers for methods returning Task&lt;T&gt; or ValueTask&lt;T&gt;.</summary>
public abstract class Request<TResult> : RequestBase
{
    public override ValueTask<Response> Invoke()
    {
        try
        {
            var pending = InvokeInner();
            if (pending.IsCompletedSuccessfully)
            {
                return new ValueTask<Response>(Response.FromResult(pending.Result));
            }

            return Await(pending);
        }
        catch (Exception exception)
        {
            return new ValueTask<Response>(Response.FromException(exception));
        }
    }

    public override void SerializeResponse(Writer writer, Response response) => SerializeResponseCore<TResult>(writer, response);

    public override Response DeserializeResponse(ref Reader reader) => DeserializeResponseCore<TResult>(ref reader, hasResult: true);

    protected abstract ValueTask<TResult> InvokeInner();

    private static async ValueTask<Response> Await(ValueTask<TResult> pending)
    {
        try
        {
            return Response.FromResult(await pending);
        }
        catch (Exception exception)
        {
            return Response.FromException(exception);
        }
    }
}
