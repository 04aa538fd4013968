# A line server of known capacity, written independently of netdemo: it serves one
# request at a time across all its connections, spinning for a fixed service time before
# echoing each line back, so it answers about 1/SERVICE requests a second and no more.
#   busy_server.py HOST PORT SERVICE_MS   announces "listening on ADDR" on stderr
import selectors
import socket
import sys
import time

host, port, service = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) / 1000.0
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((host, port))
listener.listen(128)
listener.setblocking(False)
print('listening on %s:%d' % listener.getsockname(), file=sys.stderr, flush=True)

selector = selectors.DefaultSelector()
selector.register(listener, selectors.EVENT_READ)
pending = {}  # connection -> bytes read and not yet answered


def busy(seconds):
    # Spin rather than sleep: the service time is CPU, as a real server's would be.
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass


while True:
    for key, _ in selector.select():
        sock = key.fileobj
        if sock is listener:
            conn, _ = listener.accept()
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.setblocking(True)
            selector.register(conn, selectors.EVENT_READ)
            pending[conn] = b''
            continue
        try:
            data = sock.recv(65536)
        except OSError:
            data = b''
        if not data:
            selector.unregister(sock)
            pending.pop(sock, None)
            sock.close()
            continue
        pending[sock] += data
        # One request at a time: each whole line costs the service time, then its reply.
        while b'\n' in pending[sock]:
            line, pending[sock] = pending[sock].split(b'\n', 1)
            busy(service)
            try:
                sock.sendall(line + b'\n')
            except OSError:
                break
