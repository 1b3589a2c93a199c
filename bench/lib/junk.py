#!/usr/bin/env python3
"""A junk flood for bench/run.sh's junk scenario: datagrams that are not SIP, or SIP broken in one place,
from one source address, at a steady rate, bounded in count and in time.

Usage: junk.py TARGET_HOST TARGET_PORT RATE SECONDS [SOURCE_HOST]
Prints "sent N" when done. Half of the datagrams are random bytes, half are requests that parse up to one
fault each (no Via, a CSeq that is no number, a Content-Length past the body, a truncated start line, a
header without a colon), as a scanner or a broken phone sends them.
"""
import random
import socket
import sys
import time

BROKEN_REQUESTS = [
    # No Via.
    "OPTIONS sip:{n}@{host} SIP/2.0\r\nFrom: <sip:junk@{src}>;tag={n}\r\nTo: <sip:{n}@{host}>\r\n"
    "Call-ID: junk-{n}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
    # A CSeq that is no number.
    "INVITE sip:{n}@{host} SIP/2.0\r\nVia: SIP/2.0/UDP {src};branch=z9hG4bK{n}\r\nFrom: <sip:junk@{src}>;tag={n}\r\n"
    "To: <sip:{n}@{host}>\r\nCall-ID: junk-{n}\r\nCSeq: one INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
    # A Content-Length longer than the body.
    "INVITE sip:{n}@{host} SIP/2.0\r\nVia: SIP/2.0/UDP {src};branch=z9hG4bK{n}\r\nFrom: <sip:junk@{src}>;tag={n}\r\n"
    "To: <sip:{n}@{host}>\r\nCall-ID: junk-{n}\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 900\r\n\r\nv=0\r\n",
    # A truncated start line.
    "INVITE sip:{n}@{host}\r\nVia: SIP/2.0/UDP {src};branch=z9hG4bK{n}\r\n\r\n",
    # A header without a colon.
    "REGISTER sip:{host} SIP/2.0\r\nVia SIP/2.0/UDP {src};branch=z9hG4bK{n}\r\nFrom: <sip:junk@{src}>;tag={n}\r\n"
    "To: <sip:junk@{host}>\r\nCall-ID: junk-{n}\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n",
]


def payloads(host, src, count=256):
    rng = random.Random(5060)
    out = []
    for n in range(count):
        if n % 2 == 0:
            out.append(bytes(rng.getrandbits(8) for _ in range(rng.randint(20, 1200))))
        else:
            template = BROKEN_REQUESTS[(n // 2) % len(BROKEN_REQUESTS)]
            out.append(template.format(n=n, host=host, src=src).encode("ascii"))
    return out


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    host, port, rate, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    source = sys.argv[5] if len(sys.argv) == 6 else "127.0.0.1"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((source, 0))
    src = "%s:%d" % sock.getsockname()
    pool = payloads(host, src)
    total = int(rate * seconds)
    # Sent in 5 ms batches on a schedule, so that a slow moment is caught up rather than lost.
    batch = max(1, int(rate / 200))
    start = time.monotonic()
    deadline = start + seconds + 5
    sent = 0
    while sent < total and time.monotonic() < deadline:
        for _ in range(min(batch, total - sent)):
            try:
                sock.sendto(pool[sent % len(pool)], (host, port))
            except OSError:
                pass  # ICMP port unreachable from an earlier datagram; the flood goes on
            sent += 1
        ahead = start + sent / rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    print("sent %d" % sent)


if __name__ == "__main__":
    main()
