namespace Bifro.Runtime.Activation;

/// <summary>
/// The activation is its own task scheduler: every turn and every continuation of grain code (await
/// captures TaskScheduler.Current) runs here, one at a time, on thread-pool threads. That is what makes
/// a grain single-threaded without locks in grain code.
/// </summary>
internal sealed partial class ActivationData : TaskScheduler, IThreadPoolWorkItem
{
    // Turns run in batches for fairness between activations on a busy pool.
    private const int TurnsPerBatch = 64;

    private Queue<Task>? _tasks;
    private bool _workScheduled;
    private int _executingThreadId;

    protected override void QueueTask(Task task)
    {
        bool schedule;
        lock (this)
        {
            (_tasks ??= new Queue<Task>()).Enqueue(task);
            schedule = !_workScheduled;
            _workScheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Environment.CurrentManagedThreadId == Volatile.Read(ref _executingThreadId) && TryExecuteTask(task);

    protected override IEnumerable<Task>? GetScheduledTasks()
    {
        lock (this)
        {
            return _tasks?.ToArray() ?? [];
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        Volatile.Write(ref _executingThreadId, Environment.CurrentManagedThreadId);
        for (var i = 0; i < TurnsPerBatch; i++)
        {
            Task? task;
            lock (this)
            {
                if (_tasks is null || !_tasks.TryDequeue(out task))
                {
                    Volatile.Write(ref _executingThreadId, 0);
                    _workScheduled = false;

                    // An idle activation keeps no queue.
                    _tasks = null;
                    return;
                }
            }

            TryExecuteTask(task);
        }

        Volatile.Write(ref _executingThreadId, 0);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Runs <paramref name="work"/> as a turn of this activation.</summary>
    private void StartTurn(Func<object?, Task> work, object? state)
    {
        // A turn starts from an empty execution context. Otherwise it would inherit the async-local values
        // (RequestContext, Activity.Current) of whatever flow queued it: the request that just finished and
        // pumped the next item, or the call inside which a grain timer was created (a Timer captures the
        // context of its creator). A request imports its own message's RequestContext when it runs.
        Task<Task> task;
        if (ExecutionContext.IsFlowSuppressed())
        {
            task = new Task<Task>(work, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach);
        }
        else
        {
            using (ExecutionContext.SuppressFlow())
            {
                task = new Task<Task>(work, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach);
            }
        }

        task.Start(this);
    }
}
