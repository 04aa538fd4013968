# An HTTP/1.1 server written independently of netdemo, answering with each way a response
# body can end, for netdemo's --framing http.
#   http_server.py HOST PORT     (port 0 = any; announces "listening on ADDR" on stderr)
# GET /sized: Content-Length; GET /chunked: chunked, with a trailer; GET /close: no length,
# the body ends when the server closes; GET /empty: 204; POST /echo: the body back;
# GET /half: half a response, then close; anything else: 404. Keep-alive otherwise.
import socket
import sys
import threading

host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(64)
print('listening on %s:%d' % s.getsockname()[:2], file=sys.stderr, flush=True)


def read_request(conn, buf):
    while b'\r\n\r\n' not in buf:
        data = conn.recv(65536)
        if not data:
            return None, buf
        buf += data
    head, buf = buf.split(b'\r\n\r\n', 1)
    lines = head.split(b'\r\n')
    method, target = lines[0].split(b' ')[:2]
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b':')
        if name.strip().lower() == b'content-length':
            length = int(value.strip())
    while len(buf) < length:
        data = conn.recv(65536)
        if not data:
            return None, buf
        buf += data
    return (method, target, buf[:length]), buf[length:]


def serve(conn):
    buf = b''
    while True:
        try:
            request, buf = read_request(conn, buf)
        except OSError:
            break
        if request is None:
            break
        method, target, body = request
        if target == b'/sized':
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')
        elif target == b'/chunked':
            conn.sendall(b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
                         b'3\r\nchu\r\n4;ext=1\r\nnked\r\n0\r\nX-Trailer: yes\r\n\r\n')
        elif target == b'/close':
            conn.sendall(b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end')
            break
        elif target == b'/empty':
            conn.sendall(b'HTTP/1.1 204 No Content\r\n\r\n')
        elif method == b'POST' and target == b'/echo':
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s' % (len(body), body))
        elif target == b'/half':
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf')
            break
        else:
            conn.sendall(b'HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found')
    conn.close()


while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
