using System.Net;

namespace OrleansProxy.Silo.Demo;

/// <summary>
/// A simulated server's side of one INVITE. Its responses are written when the INVITE arrives, because the
/// receive buffer they copy from is reused for the next datagram; after that only the state moves.
/// </summary>
internal sealed class ServerCall
{
    private readonly Lock gate = new();
    private readonly byte[] ok;
    private readonly byte[] terminated;
    private readonly DateTimeOffset answerAt;
    private byte[] lastResponse;
    private bool answered;
    private TimeSpan retransmitInterval;
    private DateTimeOffset nextRetransmitAt;
    private DateTimeOffset giveUpAt;

    public ServerCall(int cseq, string tag, IPEndPoint responseDestination, byte[] ringing, byte[] ok, byte[] terminated, DateTimeOffset answerAt)
    {
        CSeq = cseq;
        Tag = tag;
        ResponseDestination = responseDestination;
        lastResponse = ringing;
        this.ok = ok;
        this.terminated = terminated;
        this.answerAt = answerAt;
    }

    public int CSeq { get; }

    /// <summary>The server's To tag in every response of this call.</summary>
    public string Tag { get; }

    public IPEndPoint ResponseDestination { get; }

    public ServerCallState State { get; private set; }

    /// <summary>What a retransmitted INVITE gets: the latest response sent.</summary>
    public byte[] LastResponse
    {
        get
        {
            lock (gate)
            {
                return lastResponse;
            }
        }
    }

    /// <summary>Sends the final response once: 200 when due, or 487 when <paramref name="cancel"/>.</summary>
    /// <returns>The response to send, or null when the call is past <see cref="ServerCallState.Proceeding"/> or not yet due.</returns>
    public byte[]? TryComplete(bool cancel, DateTimeOffset now, SipTimers timers)
    {
        lock (gate)
        {
            if (State != ServerCallState.Proceeding || (!cancel && now < answerAt))
            {
                return null;
            }

            answered = !cancel;
            lastResponse = cancel ? terminated : ok;
            State = ServerCallState.AwaitingAck;
            retransmitInterval = timers.T1;
            nextRetransmitAt = now + timers.T1;
            giveUpAt = now + timers.TransactionTimeout;
            return lastResponse;
        }
    }

    /// <returns>True when the ACK closes a rejected INVITE, so that the call can be forgotten.</returns>
    public bool Acknowledge()
    {
        lock (gate)
        {
            if (State != ServerCallState.AwaitingAck)
            {
                return false;
            }

            if (answered)
            {
                State = ServerCallState.Confirmed;
            }

            return !answered;
        }
    }

    /// <summary>The final response again when its retransmission timer has fired, doubling up to T2.</summary>
    public byte[]? DueRetransmission(DateTimeOffset now, SipTimers timers)
    {
        lock (gate)
        {
            if (State != ServerCallState.AwaitingAck || now < nextRetransmitAt || now >= giveUpAt)
            {
                return null;
            }

            retransmitInterval = retransmitInterval * 2 < timers.T2 ? retransmitInterval * 2 : timers.T2;
            nextRetransmitAt = now + retransmitInterval;
            return lastResponse;
        }
    }

    /// <summary>True when the final response went unacknowledged for the whole transaction time-out.</summary>
    public bool IsAbandoned(DateTimeOffset now)
    {
        lock (gate)
        {
            return State == ServerCallState.AwaitingAck && now >= giveUpAt;
        }
    }
}
