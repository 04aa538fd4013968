# A stream echo server, written independently of netdemo: every byte received is sent
# back; when the client half-closes, the server finishes echoing and closes too.
#   echo_server.py HOST PORT   TCP (port 0 = any); announces "listening on ADDR" on stderr
#   echo_server.py PATH        a Unix-domain socket (@NAME: a Linux abstract name);
#                              announces "listening on PATH", removes the file on SIGTERM
import os
import signal
import socket
import sys
import threading

if len(sys.argv) == 2:
    path = sys.argv[1]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind('\0' + path[1:] if path.startswith('@') else path)
    shown = path

    def stop(*_):
        if not path.startswith('@'):
            os.unlink(path)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
else:
    host, port = sys.argv[1], int(sys.argv[2])
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((host, port))
    h, p = s.getsockname()[:2]
    shown = '[%s]:%d' % (h, p) if family == socket.AF_INET6 else '%s:%d' % (h, p)
s.listen(16)
print('listening on %s' % shown, file=sys.stderr, flush=True)


def serve(conn):
    while True:
        data = conn.recv(65536)
        if not data:
            break
        conn.sendall(data)
    conn.close()


while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
