#!/usr/bin/env python3
"""Polls a SIP proxy from the moment it is started until it answers: every few milliseconds an OPTIONS
addressed to the proxy itself and an INVITE it must forward to its pair, each with a fresh transaction.
Prints, in epoch milliseconds, when the first answer to an OPTIONS came (any status), when the first 200
to an OPTIONS came (the node serves), and when the first 200 to an INVITE came (a call went through).
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


first_answer = first_ok = first_call = None
deadline = time.monotonic() + timeout
n = 0
while time.monotonic() < deadline and None in (first_answer, first_ok, first_call):
    n += 1
    if first_ok is None:
        sock.sendto(request("OPTIONS", f"sip:127.0.0.1:{port}", n), proxy)
    if first_call is None:
        sock.sendto(request("INVITE", f"sip:service@127.0.0.1:{port}", n), proxy)
    until = time.monotonic() + 0.01
    while time.monotonic() < until:
        try:
            data = sock.recv(65535).decode(errors="replace")
        except (socket.timeout, ConnectionRefusedError):
            continue
        status = data.split(" ", 2)[1] if data.startswith("SIP/2.0 ") else ""
        method = next((line.split()[-1] for line in data.split("\r\n") if line.lower().startswith("cseq:")), "")
        if method == "OPTIONS":
            first_answer = first_answer or ms()
            if status == "200":
                first_ok = first_ok or ms()
        elif method == "INVITE" and status == "200":
            first_call = first_call or ms()
print(first_answer or "none", first_ok or "none", first_call or "none")
