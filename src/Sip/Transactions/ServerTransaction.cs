using System.Net;
using OrleansProxy.Sip.Timing;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// An INVITE or non-INVITE server transaction (RFC 3261 §17.2, RFC 6026 §7.1): absorbs retransmitted requests
/// and re-sends the last response, retransmits a non-2xx final INVITE response until its ACK (Timer G, H, I),
/// passes every 2xx through while Accepted (Timer L), and lingers after a non-INVITE final response (Timer J).
/// Once Accepted, Confirmed or Completed (non-INVITE) it leaves the table for a tombstone that lingers in its place
/// (<see cref="LingeringServerTransaction"/>); the object itself keeps its state for whoever still holds it.
/// State changes under a lock; sends happen outside it.
/// </summary>
public sealed class ServerTransaction : IServerTransaction, IWheelTimerOwner
{
    // Which timer fell due: Timer G, or Timer H.
    private const int RetransmitTimer = 0;
    private const int TimeoutTimer = 1;

    private readonly Lock gate = new();
    private readonly TransactionTable table;
    private readonly TransactionTimers timers;
    private readonly TimerWheel wheel;
    private readonly bool reliable;
    private WheelTimer retransmitTimer;
    private WheelTimer endTimer;
    private byte[]? lastResponse;
    private TimeSpan retransmitInterval;
    private IServerTransactionUser? user;
    private bool cancelled;

    public ServerTransaction(TransactionKey key, bool isInvite, IPEndPoint responseDestination, ISipTransport transport, TransactionTable table, TransactionTimers timers)
    {
        Key = key;
        IsInvite = isInvite;
        ResponseDestination = responseDestination;
        Transport = transport;
        this.table = table;
        this.timers = timers;
        wheel = table.Wheel;
        reliable = transport.Hop.Transport != SipTransportKind.Udp;
        State = isInvite ? TransactionState.Proceeding : TransactionState.Trying;
    }

    public TransactionKey Key { get; }

    public bool IsInvite { get; }

    /// <summary>Where responses go (§18.2.2, RFC 3581): see <see cref="Forwarding.ResponseDestination"/>.</summary>
    public IPEndPoint ResponseDestination { get; }

    public ISipTransport Transport { get; }

    public TransactionState State { get; private set; }

    /// <summary>0 until a response was sent.</summary>
    public int LastStatusCode { get; private set; }

    /// <summary>Attaches the transaction user; false when a CANCEL came first, and the request must not go out.</summary>
    public bool TryAttach(IServerTransactionUser transactionUser)
    {
        lock (gate)
        {
            user = transactionUser;
            return !cancelled;
        }
    }

    /// <summary>
    /// A CANCEL matched this transaction. Returns the user to pass it on to; null when none is attached yet,
    /// in which case <see cref="TryAttach"/> will refuse.
    /// </summary>
    public IServerTransactionUser? Cancel()
    {
        lock (gate)
        {
            cancelled = true;
            return user;
        }
    }

    /// <summary>A retransmission of the request arrived: re-send the last response, if any (§17.2.1, §17.2.2).</summary>
    public async ValueTask OnRetransmissionAsync(CancellationToken cancellationToken)
    {
        byte[]? resend;
        lock (gate)
        {
            resend = State is TransactionState.Proceeding or TransactionState.Completed ? lastResponse : null;
        }

        if (resend is not null)
        {
            await Transport.SendAsync(resend, ResponseDestination, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An ACK matched this INVITE transaction. True when it is absorbed here (it acknowledges our non-2xx
    /// response); false while Accepted, where an ACK for the 2xx travels end to end.
    /// </summary>
    public bool OnAck()
    {
        lock (gate)
        {
            if (State == TransactionState.Accepted)
            {
                return false;
            }

            if (State == TransactionState.Completed)
            {
                // Timer I.
                State = TransactionState.Confirmed;
                DisposeTimers();
                table.Linger(this, lastResponse: null, absorbsAck: true, reliable ? TimeSpan.Zero : timers.T4);
            }

            return true;
        }
    }

    /// <summary>Sends a response from the transaction user. False when the transaction takes no more responses of that kind.</summary>
    public async ValueTask<bool> SendResponseAsync(ReadOnlyMemory<byte> response, int statusCode, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!Advance(response, statusCode))
            {
                return false;
            }
        }

        return await Forwarding.ResponseDestination.SendAsync(Transport, response, ResponseDestination, cancellationToken).ConfigureAwait(false);
    }

    private bool Advance(ReadOnlyMemory<byte> response, int statusCode)
    {
        if (State == TransactionState.Accepted)
        {
            // RFC 6026: further 2xx (from a forking server) pass through; nothing else does.
            return statusCode is >= 200 and < 300;
        }

        if (State is not (TransactionState.Trying or TransactionState.Proceeding))
        {
            return false;
        }

        LastStatusCode = statusCode;
        if (statusCode < 200)
        {
            State = TransactionState.Proceeding;
            lastResponse = response.ToArray();
            return true;
        }

        if (IsInvite && statusCode < 300)
        {
            // Timer L. Later 2xx from the user still pass through this object; the tombstone lets ACKs pass.
            State = TransactionState.Accepted;
            lastResponse = null;
            DisposeTimers();
            table.Linger(this, lastResponse: null, absorbsAck: false, timers.TransactionTimeout);
            return true;
        }

        State = TransactionState.Completed;
        lastResponse = response.ToArray();
        if (!IsInvite)
        {
            // Timer J.
            table.Linger(this, lastResponse, absorbsAck: false, reliable ? TimeSpan.Zero : timers.TransactionTimeout);
            return true;
        }

        if (!reliable)
        {
            retransmitInterval = timers.T1;
            retransmitTimer = wheel.Arm(this, RetransmitTimer, retransmitInterval);
        }

        endTimer = wheel.Arm(this, TimeoutTimer, timers.TransactionTimeout);
        return true;
    }

    // Timer G.
    private void RetransmitFinal()
    {
        byte[]? resend;
        lock (gate)
        {
            if (State != TransactionState.Completed || lastResponse is null)
            {
                return;
            }

            resend = lastResponse;
            retransmitInterval = timers.NextInterval(retransmitInterval, cap: true);
            wheel.Rearm(ref retransmitTimer, this, RetransmitTimer, retransmitInterval);
        }

        _ = TransactionSend.QuietlyAsync(Transport, resend, ResponseDestination);
    }

    /// <summary>
    /// The transaction user gives up without a final response (RFC 4320 §4.2: no 408 to a non-INVITE). The
    /// transaction still absorbs the caller's retransmissions for one transaction time-out, the longest the caller
    /// keeps sending them, and then ends.
    /// </summary>
    public void ExpireUnanswered()
    {
        lock (gate)
        {
            if (State is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                return;
            }

            // No ACK matches a non-INVITE, so absorbsAck says nothing here.
            DisposeTimers();
            table.Linger(this, State == TransactionState.Proceeding ? lastResponse : null, absorbsAck: true, timers.TransactionTimeout);
        }
    }

    /// <summary>Timer H ends here, as does a node shutting down; the table ends the tombstones of Timers I, J and L.</summary>
    public void Terminate()
    {
        lock (gate)
        {
            if (State == TransactionState.Terminated)
            {
                return;
            }

            State = TransactionState.Terminated;
            lastResponse = null;
            DisposeTimers();
        }

        table.Remove(this);
    }

    void IWheelTimerOwner.OnTimer(int timer)
    {
        if (timer == RetransmitTimer)
        {
            RetransmitFinal();
        }
        else
        {
            Terminate();
        }
    }

    private void DisposeTimers()
    {
        wheel.Cancel(ref retransmitTimer);
        wheel.Cancel(ref endTimer);
    }
}
