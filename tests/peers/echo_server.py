# A plain TCP echo server, written independently of netdemo: every byte received is sent
# back; when the client half-closes, the server finishes echoing and closes too.
#   echo_server.py HOST PORT      (port 0 = any; announces "listening on ADDR" on stderr)
import socket
import sys
import threading

host, port = sys.argv[1], int(sys.argv[2])
family = socket.AF_INET6 if ':' in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.bind((host, port))
s.listen(16)
h, p = s.getsockname()[:2]
print('listening on %s' % ('[%s]:%d' % (h, p) if family == socket.AF_INET6 else '%s:%d' % (h, p)),
      file=sys.stderr, flush=True)


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
