using System.Runtime.ExceptionServices;

namespace Bifro.Serialization.Invocation;

/// <summary>The outcome of a call: a result or an exception.</summary>
public abstract class Response
{
    public static Response Completed { get; } = new Response<object?>(null);

    public abstract object? Result { get; set; }

    public abstract Exception? Exception { get; set; }

    public static Response FromException(Exception exception) => new ExceptionResponse(exception);

    public static Response FromResult<T>(T value) => new Response<T>(value);

    /// <summary>The result as <typeparamref name="T"/>, or the exception rethrown with its stack.</summary>
    public abstract T GetResult<T>();

    private sealed class ExceptionResponse : Response
    {
        private Exception _exception;

        public ExceptionResponse(Exception exception) => _exception = exception;

        public override object? Result
        {
            get
            {
                ExceptionDispatchInfo.Capture(_exception).Throw();
                return null;
            }

            set => throw new InvalidOperationException("Set the result on a new response instead.");
        }

        public override Exception? Exception
        {
            get => _exception;
            set => _exception = value ?? throw new ArgumentNullException(nameof(value));
        }

        public override T GetResult<T>()
        {
            ExceptionDispatchInfo.Capture(_exception).Throw();
            return default!;
        }
    }
}

/// <summary>A successful result of type <typeparamref name="TResult"/>, without boxing it.</summary>
public sealed class Response<TResult> : Response
{
    private TResult _result;

    public Response(TResult result) => _result = result;

    public TResult TypedResult => _result;

    public override object? Result
    {
        get => _result;
        set => _result = (TResult)value!;
    }

    public override Exception? Exception
    {
        get => null;
        set => throw new InvalidOperationException("Create an exception response with Response.FromException.");
    }

    public override T GetResult<T>()
    {
        if (this is Response<T> typed)
        {
            return typed._result;
        }

        return (T)(object?)_result!;
    }
}
