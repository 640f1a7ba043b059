using Bifro.Runtime.Messaging;
using Bifro.Serialization.Invocation;
using Xunit;

namespace Bifro.Runtime.Tests.Messaging;

/// <summary>Pending calls and the connection they went out on.</summary>
public sealed class PendingCallTrackerTests
{
    [Fact]
    public void FailSentOn_FailsOnlyTheCallsSentOnThatConnection()
    {
        using var tracker = new PendingCallTracker();
        var closed = new object();
        var open = new object();
        var onClosed = new Call { SentOn = closed };
        var onOpen = new Call { SentOn = open };
        tracker.Add(onClosed, TimeSpan.FromMinutes(1));
        tracker.Add(onOpen, TimeSpan.FromMinutes(1));

        tracker.FailSentOn(closed, new IOException("reset"));

        Assert.IsType<SiloUnavailableException>(onClosed.Response?.Exception);
        Assert.Null(onOpen.Response);
        Assert.Equal(1, tracker.Count);
    }

    private sealed class Call : IPendingCall, IResponseSink
    {
        public long Id { get; set; }

        public long DeadlineTicks { get; set; }

        public TimeSpan Timeout { get; set; }

        public object? SentOn { get; set; }

        public Response? Response { get; private set; }

        public void Complete(Response response) => Response = response;

        public void TimedOut()
        {
        }
    }
}
