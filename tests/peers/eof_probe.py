# A TCP server that tells the client what it saw when the client's input ended, to test
# netdemo's --on-eof policies. It reads COUNT bytes, then waits up to one second for
# end-of-stream and answers "eof after COUNT" or "still open after COUNT", then closes.
#   eof_probe.py HOST PORT COUNT
import socket
import sys

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind((host, port))
s.listen(1)
print('listening on %s:%d' % s.getsockname()[:2], file=sys.stderr, flush=True)
conn, _ = s.accept()
conn.settimeout(10)
got = b''
while len(got) < count:
    chunk = conn.recv(65536)
    if not chunk:
        break
    got += chunk
conn.settimeout(1)
try:
    eof = conn.recv(1) == b''
except socket.timeout:
    eof = False
try:
    conn.sendall(b'%s after %d\n' % (b'eof' if eof else b'still open', len(got)))
except OSError:
    pass  # with --on-eof close the client is already gone
print('eof' if eof else 'open', flush=True)
conn.close()
