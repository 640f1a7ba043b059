namespace Bifro.Grains.Authorization.Providers;

/// <summary>Where the file and postgres providers keep their users; the scram provider reads SCRAM credentials from it.</summary>
internal interface IUserStore
{
    /// <summary>The user named <paramref name="username"/>, or null when there is none. Store errors throw (and deny).</summary>
    ValueTask<UserRecord?> FindUserAsync(string username, CancellationToken cancellationToken);
}
