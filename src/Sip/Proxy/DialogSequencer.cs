using System.IO.Hashing;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Proxy;

/// <summary>
/// Keeps the requests of one dialog in the order they arrived while they wait on the target resolver: an ACK and
/// the BYE right behind it are resolved concurrently, and without this the BYE could leave first. Requests are
/// keyed by a hash of their Call-ID, so no key is allocated; two dialogs that share a hash are merely kept in
/// order with each other too.
/// </summary>
internal sealed class DialogSequencer
{
    private readonly Dictionary<ulong, Task> tails = [];

    /// <summary>Takes the request's place in its dialog's queue; call on arrival, before anything is awaited.</summary>
    public DialogTurn Enter(SipMessage request)
    {
        var key = XxHash64.HashToUInt64(request[request.CallId]);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? previous;
        lock (tails)
        {
            tails.TryGetValue(key, out previous);
            tails[key] = done.Task;
        }

        return new DialogTurn(key, previous ?? Task.CompletedTask, done);
    }

    /// <summary>The request has been sent (or answered): the next one of its dialog may go.</summary>
    public void Leave(DialogTurn turn)
    {
        lock (tails)
        {
            if (tails.TryGetValue(turn.Key, out var tail) && tail == turn.Done.Task)
            {
                tails.Remove(turn.Key);
            }
        }

        turn.Done.TrySetResult();
    }
}

/// <param name="Previous">Completes when the dialog's previous request has left.</param>
internal readonly record struct DialogTurn(ulong Key, Task Previous, TaskCompletionSource Done);
