# A TCP server that reads and writes at once, written independently of netdemo, as a
# `--bidir` run needs: every client gets the printable ASCII cycle as fast as it reads,
# while what it sends is read and counted. When a client half-closes, the server prints
# "received N" (the bytes that client sent) on stdout and closes.
#   bidir_server.py PORT    announces "listening on ADDR" on stderr
import socket
import sys
import threading

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
print("listening on 127.0.0.1:%d" % s.getsockname()[1], file=sys.stderr, flush=True)
CHUNK = bytes(range(32, 127)) * 700


def pour(conn, done):
    try:
        while not done.is_set():
            conn.sendall(CHUNK)
    except OSError:
        pass


def serve(conn):
    done = threading.Event()
    writer = threading.Thread(target=pour, args=(conn, done), daemon=True)
    writer.start()
    received = 0
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            received += len(data)
    except OSError:
        pass
    done.set()
    print("received %d" % received, flush=True)
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    conn.close()


while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
