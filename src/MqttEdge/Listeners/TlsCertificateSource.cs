using Bifro.MqttEdge.Configuration;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// A TLS listener's certificate material, kept current: file-system notifications on the folders of the
/// certificate, key and CA files trigger a check (a short moment later, so that a certificate and its key
/// written one after the other are read together), and a timer checks every
/// <see cref="MqttOptions.CertificateReloadInterval"/> as well, for file systems without notifications.
/// A check reads the files and loads them only when their bytes changed. New connections take the new
/// material; connections already open keep theirs. A file that does not load is logged and the previous
/// material stays.
/// </summary>
internal sealed partial class TlsCertificateSource : IDisposable
{
    private static readonly TimeSpan s_settle = TimeSpan.FromMilliseconds(250);

    private readonly TlsListenerOptions _options;
    private readonly string _key;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly ITimer _poll;
    private readonly ITimer _settle;
    private readonly List<FileSystemWatcher> _watchers = [];
    private TlsMaterial _current;
    private byte[] _fingerprint;
    private bool _disposed;

    /// <summary>Loads the material; throws <see cref="TlsMaterialException"/>, naming the key, when it cannot.</summary>
    public TlsCertificateSource(TlsListenerOptions options, string key, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _options = options;
        _key = key;
        _logger = logger;
        var files = TlsMaterialLoader.Read(options, key);
        _current = TlsMaterialLoader.Load(files, options, key);
        _fingerprint = files.Fingerprint;
        LogLoaded(_logger, options.Name, _current.Leaf.Subject, _current.Leaf.Thumbprint, _current.Leaf.NotAfter);

        _settle = time.CreateTimer(static s => ((TlsCertificateSource)s!).Check(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _poll = time.CreateTimer(static s => ((TlsCertificateSource)s!).Check(), this, interval, interval);
        foreach (var directory in TlsMaterialLoader.Paths(options).Select(Path.GetDirectoryName).Distinct())
        {
            Watch(directory);
        }
    }

    /// <summary>The material for a new connection.</summary>
    public TlsMaterial Current => Volatile.Read(ref _current);

    /// <summary>Reads the files and, when they changed, loads them.</summary>
    public void Check()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            TlsFiles files;
            try
            {
                files = TlsMaterialLoader.Read(_options, _key);
            }
            catch (TlsMaterialException exception)
            {
                // A file may be missing for a moment while it is replaced; the next notification or poll retries.
                LogUnreadable(_logger, _options.Name, exception.Message);
                return;
            }

            if (files.Fingerprint.AsSpan().SequenceEqual(_fingerprint))
            {
                return;
            }

            // Remembered even when loading fails, so that bad files are reported once, not at every poll.
            _fingerprint = files.Fingerprint;
            try
            {
                var material = TlsMaterialLoader.Load(files, _options, _key);
                Volatile.Write(ref _current, material);
                LogReloaded(_logger, _options.Name, material.Leaf.Subject, material.Leaf.Thumbprint, material.Leaf.NotAfter);
            }
            catch (TlsMaterialException exception)
            {
                LogReloadFailed(_logger, _options.Name, exception.Message);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _poll.Dispose();
        _settle.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }

    private void Watch(string? directory)
    {
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return;
        }

        try
        {
            // The whole folder: editors and tools replace files by renaming, and Kubernetes swaps a symbolic link.
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += OnFileEvent;
            watcher.Created += OnFileEvent;
            watcher.Deleted += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Out of inotify watches, for instance: the timer still checks.
            LogNotWatched(_logger, _options.Name, directory, exception.Message);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _settle.Change(s_settle, Timeout.InfiniteTimeSpan);
}
