# An HTTP/1.1 server written independently of netdemo whose responses are legal but unusual,
# or hostile, for netdemo's --framing http.
#   http_odd_server.py HOST PORT KIND   (port 0 = any; announces "listening on ADDR" on stderr)
# KIND early-hints: every request gets "103 Early Hints" (with a Link header), then
# "200 OK" with a 5-byte body, keep-alive.
# KIND huge-length: "200 OK" announcing a Content-Length near 2**64, four bytes of body,
# then close.
import socket
import sys
import threading

host, port, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(64)
print('listening on %s:%d' % s.getsockname()[:2], file=sys.stderr, flush=True)


def serve(conn):
    # The interim and the final response go out as two writes, as a server sends them;
    # without this, Nagle's algorithm holds the second until the first is acknowledged.
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b''
    while True:
        while b'\r\n\r\n' not in buf:
            try:
                data = conn.recv(65536)
            except OSError:
                data = b''
            if not data:
                conn.close()
                return
            buf += data
        # netdemo's GET requests have no body.
        _, buf = buf.split(b'\r\n\r\n', 1)
        if kind == 'early-hints':
            conn.sendall(b'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n')
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')
        else:
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551606\r\n\r\nhalf')
            conn.close()
            return


while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
