#!/usr/bin/env python3
"""A TCP source that netdemo did not write: sends each client BYTES bytes, then closes
(or, given `stall`, keeps the connection open and sends nothing more: a stalled source).
Says "listening on HOST:PORT" on stderr when ready.

    byte_source.py HOST PORT BYTES [stall]
"""
import socket
import sys
import threading


def serve(conn, count, stall):
    block = bytes(range(256)) * 4096
    try:
        while count > 0:
            sent = conn.send(block[: min(len(block), count)])
            count -= sent
        if not stall:
            conn.shutdown(socket.SHUT_WR)
        while conn.recv(65536):
            pass
    except OSError:
        pass
    conn.close()


listener = socket.create_server((sys.argv[1], int(sys.argv[2])))
host, port = listener.getsockname()[:2]
count = int(sys.argv[3])
stall = sys.argv[4:] == ["stall"]
print(f"listening on {host}:{port}", file=sys.stderr, flush=True)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn, count, stall), daemon=True).start()
