namespace Bifro.Silo.Admin;

/// <summary>A request the admin API refuses: it becomes a problem+json answer with <see cref="StatusCode"/>.</summary>
internal sealed class AdminProblemException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    public static AdminProblemException BadRequest(string detail) => new(400, "Bad request", detail);

    public static AdminProblemException NotFound(string detail) => new(404, "Not found", detail);
}
