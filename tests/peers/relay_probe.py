#!/usr/bin/env python3
"""Measures, from a client's side, what a relay does to a connection to an echo server.
Written independently of netdemo. Prints one JSON line.

    relay_probe.py rtt HOST PORT COUNT        median and minimum round trip of 1 byte, in µs
    relay_probe.py bulk HOST PORT BYTES       seconds to send BYTES and get them all back
    relay_probe.py until_cut HOST PORT        bytes echoed before the connection was cut,
                                              and how (reset or closed)
    relay_probe.py receive HOST PORT          seconds from connecting to the end of the
                                              stream and from its first read, the bytes
                                              of that read and of the whole (a source)
"""
import json
import socket
import statistics
import sys
import threading
import time


def connect(host, port):
    s = socket.create_connection((host, int(port)), timeout=20)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def rtt(host, port, count):
    s = connect(host, port)
    times = []
    for _ in range(int(count)):
        start = time.perf_counter()
        s.sendall(b"x")
        if s.recv(1) != b"x":
            raise SystemExit("wrong echo")
        times.append((time.perf_counter() - start) * 1e6)
    s.close()
    return {"median_us": statistics.median(times), "min_us": min(times)}


def bulk(host, port, size):
    size = int(size)
    s = connect(host, port)
    data = bytes(range(256)) * (size // 256 + 1)
    data = data[:size]
    start = time.perf_counter()

    def send():
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)

    sender = threading.Thread(target=send)
    sender.start()
    got = bytearray()
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    sender.join()
    return {"seconds": time.perf_counter() - start, "exact": bytes(got) == data}


def until_cut(host, port):
    s = connect(host, port)
    echoed = 0
    how = "open"
    stop = threading.Event()
    # After a reset, only the first call on the socket reports it; if that call was the
    # sender's, the receiver then sees an end of stream. Whichever saw it, it was a reset.
    sender_reset = threading.Event()

    def send():
        chunk = b"y" * 1024
        try:
            while not stop.is_set():
                s.sendall(chunk)
                time.sleep(0.001)
        except ConnectionResetError:
            sender_reset.set()
        except OSError:
            pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                how = "closed"
                break
            echoed += len(chunk)
    except ConnectionResetError:
        how = "reset"
    stop.set()
    sender.join(timeout=5)
    if how == "closed" and sender_reset.is_set():
        how = "reset"
    return {"echoed": echoed, "how": how}


def receive(host, port):
    start = time.perf_counter()
    s = connect(host, port)
    got = 0
    first = None
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        if first is None:
            first = (time.perf_counter(), len(chunk))
        got += len(chunk)
    end = time.perf_counter()
    return {
        "seconds": end - start,
        "bytes": got,
        "first_bytes": first[1] if first else 0,
        "after_first_seconds": end - first[0] if first else 0.0,
    }


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    result = {"rtt": rtt, "bulk": bulk, "until_cut": until_cut, "receive": receive}[mode](*args)
    print(json.dumps(result), flush=True)
