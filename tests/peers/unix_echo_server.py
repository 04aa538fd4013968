# A Unix-domain stream echo server, written independently of netdemo: every byte received
# is sent back; when the client half-closes, the server finishes echoing and closes too.
#   unix_echo_server.py PATH      (@NAME for a Linux abstract name; announces
#                                  "listening on PATH" on stderr, removes the file on exit)
import os
import signal
import socket
import sys
import threading

path = sys.argv[1]
address = '\0' + path[1:] if path.startswith('@') else path
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(address)
s.listen(16)


def stop(*_):
    if not path.startswith('@'):
        os.unlink(path)
    os._exit(0)


signal.signal(signal.SIGTERM, stop)
print('listening on %s' % path, file=sys.stderr, flush=True)


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
