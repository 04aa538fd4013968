# A TCP server that stalls or lies, written independently of netdemo, for the tests of
# runs that must end and say why.
#   stall_server.py HOST PORT silent   accepts, then never sends a byte
#   stall_server.py HOST PORT greet    greets as the tutorial's server, then never replies
#   stall_server.py HOST PORT short    greets, then answers every message with "x"
# Announces "listening on HOST:PORT" on stderr; each connection ends when its client
# closes.
import socket
import sys
import threading

host, port, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind((host, port))
s.listen(64)
print('listening on %s:%d' % s.getsockname()[:2], file=sys.stderr, flush=True)


def serve(conn):
    if how != 'silent':
        conn.sendall(b'Hello, I am server!')
    while True:
        try:
            data = conn.recv(65536)
        except OSError:
            break
        if not data:
            break
        if how == 'short':
            conn.sendall(b'x')
    conn.close()


while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
