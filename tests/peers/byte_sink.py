#!/usr/bin/env python3
"""A TCP sink that netdemo did not write: reads each connection to its end, then prints
how many bytes it got (one line per connection) and closes. Says "listening on HOST:PORT"
on stderr when ready.

    byte_sink.py HOST PORT
"""
import socket
import sys
import threading

# print() writes the number and the newline apart: streams ending together on their own
# threads would run their lines into one.
printing = threading.Lock()


def serve(conn):
    total = 0
    buf = bytearray(1 << 20)
    while True:
        n = conn.recv_into(buf)
        if n == 0:
            break
        total += n
    with printing:
        print(total, flush=True)
    conn.close()


listener = socket.create_server((sys.argv[1], int(sys.argv[2])))
host, port = listener.getsockname()[:2]
print(f"listening on {host}:{port}", file=sys.stderr, flush=True)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
