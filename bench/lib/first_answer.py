#!/usr/bin/env python3
"""Polls a SIP proxy from the moment it is started until it serves: every 10 ms an OPTIONS addressed to
the proxy itself, each a fresh transaction. Prints, in epoch milliseconds, when the first answer came (any
status) and when the first 200 came (the node serves). It sends no call: the callers' load (sipp) does.
Usage: first_answer.py PROXY_PORT TIMEOUT_S"""
import os
import socket
import sys
import time

port, timeout = int(sys.argv[1]), float(sys.argv[2])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 0))
sock.settimeout(0.005)
local = sock.getsockname()[1]
proxy = ("127.0.0.1", port)
tag = os.getpid()


def request(method, uri, n):
    body = ""
    lines = [
        f"{method} {uri} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bK-cold-{tag}-{method}-{n};rport",
        f"From: <sip:coldstart@127.0.0.1:{local}>;tag={tag}",
        f"To: <{uri}>",
        f"Call-ID: cold-{tag}-{method}-{n}@127.0.0.1",
        f"CSeq: 1 {method}",
        f"Contact: <sip:coldstart@127.0.0.1:{local}>",
        "Max-Forwards: 70",
        f"Content-Length: {len(body)}",
        "",
        body,
    ]
    return "\r\n".join(lines).encode()


def ms():
    return int(time.time() * 1000)


first_answer = first_ok = None
deadline = time.monotonic() + timeout
n = 0
while time.monotonic() < deadline and first_ok is None:
    n += 1
    sock.sendto(request("OPTIONS", f"sip:127.0.0.1:{port}", n), proxy)
    until = time.monotonic() + 0.01
    while time.monotonic() < until:
        try:
            data = sock.recv(65535).decode(errors="replace")
        except (socket.timeout, ConnectionRefusedError):
            continue
        status = data.split(" ", 2)[1] if data.startswith("SIP/2.0 ") else ""
        first_answer = first_answer or ms()
        if status == "200":
            first_ok = first_ok or ms()
print(first_answer or 0, first_ok or 0)
