#!/usr/bin/env python3
"""Stand-in for `orleans-proxy simulated-pair`, used by bench/run.sh's takeover scenario only while the
proxy executable has no such verb. Same command line, same JSON report keys; UDP only.

A hot-standby HA pair of two SIP servers on loopback:
- the primary is active at start; the backup is a standby that takes no calls (silent, or 503 to every
  request, OPTIONS included);
- DIE_AFTER seconds after the first INVITE the pair receives, the primary dies: it freezes (its socket
  stays open, nothing is answered) or closes its socket (the kernel answers port unreachable);
- TAKEOVER seconds later the backup is active: OPTIONS 200, calls answered;
- both members share dialog state: a BYE for a call set up on one is answered by the other; a BYE for
  an unknown dialog gets 481;
- requestsToStandby counts new requests (not retransmissions; OPTIONS, ACK and CANCEL aside) a member got
  while standby; firstInviteAfterTakeoverMs is the first new INVITE at the backup after its takeover;
- with --revive-after the old primary comes back, as the standby.

Runs until --run-for elapses or SIGINT/SIGTERM, then writes the report (--report FILE, else stdout).
Delete this file once the proxy's own verb is on main: run.sh prefers the verb when it exists.
"""

import argparse
import hashlib
import heapq
import json
import selectors
import signal
import socket
import sys
import time
from datetime import datetime, timezone

T1, T2, TIMER_H = 0.5, 4.0, 32.0
COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact", "l": "content-length"}


def iso(epoch):
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def address(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"not HOST:PORT: {text}")
    if not host.startswith("127."):
        raise argparse.ArgumentTypeError(f"loopback (127.0.0.0/8) only: {text}")
    return host, int(port)


class Message:
    def __init__(self, data):
        text = data.decode("utf-8", "replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.start = lines[0]
        self.headers = []  # (lower-case name, raw line) in order
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and self.headers:
                name, raw = self.headers[-1]
                self.headers[-1] = (name, raw + " " + line.strip())
                continue
            name = line.split(":", 1)[0].strip().lower()
            self.headers.append((COMPACT.get(name, name), line))
        parts = self.start.split(" ")
        self.is_request = not self.start.startswith("SIP/2.0")
        self.method = parts[0] if self.is_request else None

    def lines(self, name):
        return [raw for header, raw in self.headers if header == name]

    def value(self, name):
        found = self.lines(name)
        return found[0].split(":", 1)[1].strip() if found else ""

    def cseq_method(self):
        return self.value("cseq").split(" ")[-1].upper()


class Member:
    def __init__(self, pair, role, addr):
        self.pair, self.role, self.addr = pair, role, addr
        self.state = "active" if role == "primary" else "standby"
        self.sock = None
        self.seen = {}  # (Call-ID, CSeq) of the requests received lately -> when: tells retransmissions apart
        self.counts = dict(requests=0, invites=0, invitesAnswered=0, byes=0, byesAnswered=0, acks=0, options=0,
                           options200=0, refused503=0, ignored=0, unknownDialog481=0, requestsWhileStandby=0,
                           optionsWhileStandby=0, requestsWhileDead=0)
        self.open()

    def open(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind(self.addr)
        self.sock.setblocking(False)
        self.pair.selector.register(self.sock, selectors.EVENT_READ, self)

    def close(self):
        self.pair.selector.unregister(self.sock)
        self.sock.close()
        self.sock = None

    def send(self, data, dest):
        if self.sock is not None:
            try:
                self.sock.sendto(data, dest)
            except OSError:
                pass


class Pair:
    def __init__(self, args):
        self.args = args
        self.selector = selectors.DefaultSelector()
        self.timers = []
        self.sequence = 0
        self.started = time.time()
        self.first_invite = self.died = self.takeover = self.revived = self.first_invite_after_takeover = None
        self.dialogs = {}  # Call-ID -> dict(member, confirmed, response, dest, ended)
        self.primary = Member(self, "primary", args.primary)
        self.backup = Member(self, "backup", args.backup)
        self.stopping = False
        self.other_members_byes = 0
        self.at(args.run_for, self.stop)
        self.at(TIMER_H, self.prune)

    def at(self, delay, action, *params):
        self.sequence += 1
        heapq.heappush(self.timers, (time.monotonic() + delay, self.sequence, action, params))

    def stop(self):
        self.stopping = True

    # Timeline ------------------------------------------------------------------------------------------

    def die(self):
        self.died = time.time()
        self.primary.state = "dead"
        if self.args.death == "close":
            self.primary.close()
        self.at(self.args.takeover, self.take_over)
        if self.args.revive_after is not None:
            self.at(self.args.revive_after, self.revive)

    def take_over(self):
        self.takeover = time.time()
        self.backup.state = "active"
        if self.args.announce != "none" and self.args.proxy:
            user = "" if self.args.announce == "options" else "takeover@"
            host, port = self.args.proxy
            self.request(self.backup, f"OPTIONS sip:{user}{host}:{port} SIP/2.0", self.args.proxy)

    def revive(self):
        self.revived = time.time()
        if self.primary.sock is None:
            self.primary.open()
        self.primary.state = "standby"

    def request(self, member, start_line, dest):
        host, port = member.addr
        tag = hashlib.sha1(f"{start_line}{time.time()}".encode()).hexdigest()[:10]
        data = (f"{start_line}\r\nVia: SIP/2.0/UDP {host}:{port};branch=z9hG4bK{tag};rport\r\n"
                f"Max-Forwards: 70\r\nFrom: <sip:pair@{host}:{port}>;tag={tag}\r\nTo: <{start_line.split(' ')[1]}>\r\n"
                f"Call-ID: announce-{tag}@{host}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
        member.send(data.encode(), dest)

    # Messages ------------------------------------------------------------------------------------------

    def respond(self, member, message, code, reason, dest, to_tag=None, dialog=False, extra=""):
        host, port = member.addr
        out = [f"SIP/2.0 {code} {reason}"]
        out += message.lines("via")
        for name in ("from", "to", "call-id", "cseq"):
            for raw in message.lines(name):
                if name == "to" and to_tag and ";tag=" not in raw.lower():
                    raw += f";tag={to_tag}"
                out.append(raw)
        if dialog:
            out += message.lines("record-route")
            out.append(f"Contact: <sip:pair@{host}:{port}>")
        if extra:
            out.append(extra)
        out.append("Content-Length: 0")
        data = ("\r\n".join(out) + "\r\n\r\n").encode()
        member.send(data, dest)
        return data

    def received(self, member, data, source):
        if member.state == "dead":  # frozen: read and dropped, as a stopped process would never answer
            try:
                if Message(data).is_request:
                    member.counts["requestsWhileDead"] += 1
            except Exception:
                pass
            return
        try:
            message = Message(data)
        except Exception:
            return
        if not message.is_request:
            return
        counts = member.counts
        counts["requests"] += 1
        method = message.method
        key = (message.value("call-id"), message.value("cseq"))
        new = key not in member.seen
        member.seen[key] = time.monotonic()
        if method == "INVITE":
            counts["invites"] += 1
            if self.first_invite is None:
                self.first_invite = time.time()
                self.at(self.args.die_after, self.die)
        elif method == "OPTIONS":
            counts["options"] += 1
        elif method == "ACK":
            counts["acks"] += 1
        elif method == "BYE":
            counts["byes"] += 1
        if member.state == "standby":
            if method == "OPTIONS":
                counts["optionsWhileStandby"] += 1
            elif method not in ("ACK", "CANCEL") and new:
                counts["requestsWhileStandby"] += 1
            if self.args.standby == "503" and method != "ACK":
                self.respond(member, message, 503, "Service Unavailable (standby)", source,
                             to_tag="standby", extra="Retry-After: 1")
                counts["refused503"] += 1
            else:
                counts["ignored"] += 1
            return
        if member is self.backup and self.takeover is not None and method == "INVITE" and new \
                and self.first_invite_after_takeover is None:
            self.first_invite_after_takeover = time.time()
        call_id = message.value("call-id")
        tag = hashlib.sha1(call_id.encode()).hexdigest()[:12]
        if method == "INVITE":
            dialog = self.dialogs.get(call_id)
            if dialog is not None and dialog["cseq"] == message.value("cseq"):
                member.send(dialog["response"], source)  # a retransmission: the same final answer again
                return
            self.respond(member, message, 180, "Ringing", source, to_tag=tag, dialog=True)
            response = self.respond(member, message, 200, "OK", source, to_tag=tag, dialog=True)
            counts["invitesAnswered"] += 1
            self.dialogs[call_id] = dict(member=member, confirmed=False, response=response, dest=source,
                                         cseq=message.value("cseq"), ended=False)
            self.at(T1, self.retransmit, call_id, T1, 0.0)
        elif method == "ACK":
            dialog = self.dialogs.get(call_id)
            if dialog is not None:
                dialog["confirmed"] = True
        elif method == "BYE":
            dialog = self.dialogs.get(call_id)
            if dialog is None:
                self.respond(member, message, 481, "Call/Transaction Does Not Exist", source)
                counts["unknownDialog481"] += 1
                return
            self.respond(member, message, 200, "OK", source)
            if not dialog["ended"]:
                counts["byesAnswered"] += 1
                if dialog["member"] is not member:
                    self.other_members_byes += 1
                dialog["ended"] = True
                dialog["confirmed"] = True
                self.at(TIMER_H, self.forget, call_id)
        elif method == "OPTIONS":
            counts["options200"] += 1
            self.respond(member, message, 200, "OK", source, extra="Allow: INVITE, ACK, BYE, CANCEL, OPTIONS")
        else:  # CANCEL after the 200, REGISTER, INFO...: nothing to undo, accepted
            self.respond(member, message, 200, "OK", source, to_tag=tag)

    def retransmit(self, call_id, interval, waited):
        dialog = self.dialogs.get(call_id)
        if dialog is None or dialog["confirmed"] or dialog["member"].state != "active":
            return
        waited += interval
        if waited >= TIMER_H:
            return
        dialog["member"].send(dialog["response"], dialog["dest"])
        interval = min(2 * interval, T2)
        self.at(interval, self.retransmit, call_id, interval, waited)

    def prune(self):
        horizon = time.monotonic() - 2 * TIMER_H
        for member in (self.primary, self.backup):
            member.seen = {key: at for key, at in member.seen.items() if at >= horizon}
        self.at(TIMER_H, self.prune)

    def forget(self, call_id):
        self.dialogs.pop(call_id, None)

    # Loop and report -----------------------------------------------------------------------------------

    def run(self):
        while not self.stopping:
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, _, action, params = heapq.heappop(self.timers)
                action(*params)
            timeout = max(0.0, self.timers[0][0] - time.monotonic()) if self.timers else 0.2
            for key, _ in self.selector.select(min(timeout, 0.2)):
                member = key.data
                for _ in range(256):
                    if member.sock is None:
                        break
                    try:
                        data, source = member.sock.recvfrom(65535)
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError:  # ICMP errors from sends surface here on Linux
                        continue
                    self.received(member, data, source)

    def report(self):
        takeover_ms = None
        if self.takeover is not None and self.first_invite_after_takeover is not None:
            takeover_ms = round(1000 * (self.first_invite_after_takeover - self.takeover))
        members = [self.primary, self.backup]
        total = lambda key: sum(m.counts[key] for m in members)
        return {
            "implementation": "bench/lib/standin-pair.py (stand-in for orleans-proxy simulated-pair)",
            "primary": "%s:%d" % self.args.primary, "backup": "%s:%d" % self.args.backup,
            "standby": self.args.standby, "death": self.args.death,
            "dieAfterSeconds": self.args.die_after, "takeoverSeconds": self.args.takeover,
            "startedAt": iso(self.started), "firstInviteAt": iso(self.first_invite),
            "diedAt": iso(self.died), "takeoverAt": iso(self.takeover), "revivedAt": iso(self.revived),
            "firstInviteAfterTakeoverMs": takeover_ms,
            "requestsToStandby": total("requestsWhileStandby"),
            "optionsToStandby": total("optionsWhileStandby"),
            "requestsToDeadPrimary": self.primary.counts["requestsWhileDead"],
            "invitesAnswered": total("invitesAnswered"), "byesAnswered": total("byesAnswered"),
            "byesForOtherMembersDialogs": self.other_members_byes,
            "unknownDialog481": total("unknownDialog481"),
            "members": {m.role: dict(address="%s:%d" % m.addr, **m.counts) for m in members},
        }


def main():
    parser = argparse.ArgumentParser(prog="standin-pair.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--primary", type=address, required=True)
    parser.add_argument("--backup", type=address, required=True)
    parser.add_argument("--standby", choices=["silent", "503"], default="silent")
    parser.add_argument("--death", choices=["freeze", "close"], default="freeze")
    parser.add_argument("--die-after", type=float, default=6.0)
    parser.add_argument("--takeover", type=float, default=2.0)
    parser.add_argument("--announce", choices=["none", "options", "request"], default="none")
    parser.add_argument("--proxy", type=address)
    parser.add_argument("--revive-after", type=float)
    parser.add_argument("--run-for", type=float, default=60.0)
    parser.add_argument("--report")
    args = parser.parse_args()
    if args.run_for <= 0 or args.run_for > 3600:
        parser.error("--run-for: 0 < seconds <= 3600")
    pair = Pair(args)
    signal.signal(signal.SIGTERM, lambda *_: pair.stop())
    signal.signal(signal.SIGINT, lambda *_: pair.stop())
    pair.run()
    text = json.dumps(pair.report(), indent=2)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as file:
            file.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    sys.exit(main())
