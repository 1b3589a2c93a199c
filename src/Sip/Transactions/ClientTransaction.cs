using System.Net;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Timing;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// An INVITE or non-INVITE client transaction (RFC 3261 §17.1, RFC 6026 §7.2): retransmits the request over
/// UDP (Timer A, E), gives up on Timer B or F, acknowledges a non-2xx final INVITE response itself and
/// absorbs its retransmissions (Timer D), passes every 2xx up while Accepted (Timer M), and absorbs
/// retransmitted non-INVITE finals (Timer K). Once Completed or Accepted it leaves the table for a tombstone that
/// lingers in its place (<see cref="LingeringClientTransaction"/>), so that neither its request nor its user stays in
/// memory; the object itself keeps its state for whoever still holds it. State changes under a lock; sends and callbacks
/// happen outside it.
/// </summary>
public sealed class ClientTransaction : IClientTransaction, IWheelTimerOwner
{
    // Which timer fell due: Timer A or E; Timer B or F; the bound a branch left behind keeps of its own.
    private const int RetransmitTimer = 0;
    private const int TimeoutTimer = 1;
    private const int AbandonedTimer = 2;

    private readonly Lock gate = new();
    private readonly TransactionTable table;
    private readonly TransactionTimers timers;
    private readonly TimerWheel wheel;
    private readonly IClientTransactionUser user;
    private readonly bool reliable;
    private WheelTimer retransmitTimer;
    private WheelTimer endTimer;
    private TimeSpan retransmitInterval;
    private byte[]? ack;
    private bool abandoned;

    /// <param name="request">The request as sent, with our Via and its branch on top; kept for retransmissions, ACK and CANCEL.</param>
    public ClientTransaction(TransactionKey key, bool isInvite, byte[] request, IPEndPoint destination, ISipTransport transport, TransactionTable table, TransactionTimers timers, IClientTransactionUser user)
    {
        Key = key;
        IsInvite = isInvite;
        Request = request;
        Destination = destination;
        Transport = transport;
        this.table = table;
        this.timers = timers;
        wheel = table.Wheel;
        this.user = user;
        reliable = transport.Hop.Transport != SipTransportKind.Udp;
        State = isInvite ? TransactionState.Calling : TransactionState.Trying;
    }

    public TransactionKey Key { get; }

    public bool IsInvite { get; }

    public byte[] Request { get; }

    public IPEndPoint Destination { get; }

    public ISipTransport Transport { get; }

    public TransactionState State { get; private set; }

    /// <summary>True once any response, even 100, arrived: the next hop is alive and holds the transaction.</summary>
    public bool HasResponse { get; private set; }

    /// <summary>True once a provisional response arrived, so a CANCEL may be sent (§9.1).</summary>
    public bool HasProvisional { get; private set; }

    /// <summary>Sends the request and starts the timers. False when the send failed; the transaction is then terminated.</summary>
    public async ValueTask<bool> StartAsync(CancellationToken cancellationToken)
    {
        if (!table.TryAdd(this))
        {
            return false;
        }

        lock (gate)
        {
            // Armed before the send: a fast answer must find the timers to stop.
            if (!reliable)
            {
                retransmitInterval = timers.T1;
                retransmitTimer = wheel.Arm(this, RetransmitTimer, retransmitInterval);
            }

            endTimer = wheel.Arm(this, TimeoutTimer, timers.TransactionTimeout);
        }

        var sent = await Transport.SendAsync(Request, Destination, cancellationToken).ConfigureAwait(false);
        if (!sent)
        {
            Terminate();
        }

        return sent;
    }

    public async ValueTask OnResponseAsync(SipMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        bool passUp;
        byte[]? sendAck = null;
        lock (gate)
        {
            passUp = IsInvite ? AdvanceInvite(response, status, ref sendAck) : AdvanceNonInvite(status);
        }

        if (sendAck is not null)
        {
            await Transport.SendAsync(sendAck, Destination, cancellationToken).ConfigureAwait(false);
        }

        if (passUp)
        {
            await user.OnResponseAsync(this, response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The connection to the next hop broke: a transaction still waiting for its final response ends and tells its user.</summary>
    public void OnTransportError()
    {
        if (TryTerminate(onlyWhileWaiting: true))
        {
            user.OnTransportError(this);
        }
    }

    /// <summary>
    /// The next hop was found down by its probes: a transaction still waiting for its final response stops
    /// retransmitting and tells its user, but still takes a late answer until Timer B or F (or, after a provisional,
    /// the same time from now), so that the proxy can CANCEL what still rings, and a late 2xx still reaches the caller.
    /// </summary>
    public void OnHopDown()
    {
        lock (gate)
        {
            if (abandoned || State is not (TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding))
            {
                return;
            }

            abandoned = true;
            wheel.Cancel(ref retransmitTimer);
            if (!endTimer.IsArmed)
            {
                endTimer = wheel.Arm(this, AbandonedTimer, timers.TransactionTimeout);
            }
        }

        user.OnHopDown(this);
    }

    /// <summary>Stops without telling the user: the proxy gave up on this hop (failover) and will not wait for it.</summary>
    public void Terminate() => TryTerminate(onlyWhileWaiting: false);

    /// <returns>Whether this call ended the transaction, so that only one caller tells the user.</returns>
    private bool TryTerminate(bool onlyWhileWaiting)
    {
        lock (gate)
        {
            var waiting = State is TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding;
            if (State == TransactionState.Terminated || (onlyWhileWaiting && !waiting))
            {
                return false;
            }

            State = TransactionState.Terminated;
            DisposeTimers();
        }

        table.Remove(this);
        return true;
    }

    private bool AdvanceInvite(SipMessage response, int status, ref byte[]? sendAck)
    {
        switch (State)
        {
            case TransactionState.Calling or TransactionState.Proceeding when status < 200:
                MarkResponse(provisional: true);
                if (State == TransactionState.Calling)
                {
                    State = TransactionState.Proceeding;
                    DisposeTimers();

                    // Nobody's Timer C guards a branch left behind: it keeps a bound of its own.
                    if (abandoned)
                    {
                        endTimer = wheel.Arm(this, AbandonedTimer, timers.TransactionTimeout);
                    }
                }

                return true;
            case TransactionState.Calling or TransactionState.Proceeding when status < 300:
                MarkResponse(provisional: false);
                // Timer M: the user's relay takes the later 2xx, so the user itself need not linger.
                State = TransactionState.Accepted;
                DisposeTimers();
                table.Linger(this, ack: null, user.AcceptedRelay, timers.TransactionTimeout);
                return true;
            case TransactionState.Calling or TransactionState.Proceeding:
                MarkResponse(provisional: false);
                State = TransactionState.Completed;
                DisposeTimers();
                ack = RequestComposer.Ack(Request, response);
                sendAck = ack;
                table.Linger(this, ack, relay: null, reliable ? TimeSpan.Zero : timers.TimerD);
                return true;
            case TransactionState.Completed when status >= 300:
                // A retransmitted final: our ACK was lost.
                sendAck = ack;
                return false;
            case TransactionState.Accepted:
                return status is >= 200 and < 300;
            default:
                return false;
        }
    }

    private bool AdvanceNonInvite(int status)
    {
        if (State is not (TransactionState.Trying or TransactionState.Proceeding))
        {
            return false;
        }

        if (status < 200)
        {
            MarkResponse(provisional: true);
            State = TransactionState.Proceeding;
            return true;
        }

        MarkResponse(provisional: false);
        // Timer K.
        State = TransactionState.Completed;
        DisposeTimers();
        table.Linger(this, ack: null, relay: null, reliable ? TimeSpan.Zero : timers.T4);
        return true;
    }

    private void MarkResponse(bool provisional)
    {
        HasResponse = true;
        HasProvisional |= provisional;
    }

    // Timers A and E.
    private void Retransmit()
    {
        lock (gate)
        {
            if (abandoned || State is not (TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding) || (IsInvite && State != TransactionState.Calling))
            {
                return;
            }

            // Timer A doubles without bound (Timer B ends it); Timer E is capped at T2, and is T2 once Proceeding.
            retransmitInterval = State == TransactionState.Proceeding ? timers.T2 : timers.NextInterval(retransmitInterval, cap: !IsInvite);
            wheel.Rearm(ref retransmitTimer, this, RetransmitTimer, retransmitInterval);
        }

        _ = TransactionSend.QuietlyAsync(Transport, Request, Destination);
    }

    // Timers B and F.
    private void TimeOut()
    {
        lock (gate)
        {
            if (State is not (TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding) || (IsInvite && State != TransactionState.Calling))
            {
                return;
            }

            // Terminated inside the lock, so a response racing the timer cannot also be passed up.
            State = TransactionState.Terminated;
            DisposeTimers();
        }

        table.Remove(this);
        user.OnTimeout(this);
    }

    void IWheelTimerOwner.OnTimer(int timer)
    {
        switch (timer)
        {
            case RetransmitTimer:
                Retransmit();
                break;
            case TimeoutTimer:
                TimeOut();
                break;
            default:
                Terminate();
                break;
        }
    }

    private void DisposeTimers()
    {
        wheel.Cancel(ref retransmitTimer);
        wheel.Cancel(ref endTimer);
    }
}
