# A RESP (Redis protocol) server written independently of netdemo, answering with every
# reply type, for netdemo's --framing resp.
#   resp_server.py HOST PORT     (port 0 = any; announces "listening on ADDR" on stderr)
# Commands (arrays of bulk strings, or inline): PING, SET k v, GET k, INCR k, DEL k, DBSIZE,
# LIST (an array with a nested array), MAP (RESP3 map), ATTR (an attribute, then a value),
# BOOL, DOUBLE, NULL, BIG n (a bulk string of n bytes), HALF (half a reply, then close),
# SILENT (no reply). Anything else: an error reply.
import socket
import sys
import threading

host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(64)
print('listening on %s:%d' % s.getsockname()[:2], file=sys.stderr, flush=True)
store = {}
lock = threading.Lock()


def bulk(b):
    return b'$%d\r\n%s\r\n' % (len(b), b)


def parse(buf):
    """One command from buf: (words, rest) or (None, buf) when incomplete."""
    if not buf:
        return None, buf
    if buf[:1] != b'*':
        end = buf.find(b'\r\n')
        if end < 0:
            return None, buf
        return buf[:end].split(), buf[end + 2:]
    end = buf.find(b'\r\n')
    if end < 0:
        return None, buf
    count = int(buf[1:end])
    pos = end + 2
    words = []
    for _ in range(count):
        end = buf.find(b'\r\n', pos)
        if end < 0:
            return None, buf
        size = int(buf[pos + 1:end])
        start = end + 2
        if len(buf) < start + size + 2:
            return None, buf
        words.append(buf[start:start + size])
        pos = start + size + 2
    return words, buf[pos:]


def answer(words):
    cmd = words[0].upper() if words else b''
    with lock:
        if cmd == b'PING':
            return b'+PONG\r\n'
        if cmd == b'SET' and len(words) == 3:
            store[words[1]] = words[2]
            return b'+OK\r\n'
        if cmd == b'GET' and len(words) == 2:
            value = store.get(words[1])
            return b'$-1\r\n' if value is None else bulk(value)
        if cmd == b'INCR' and len(words) == 2:
            value = int(store.get(words[1], b'0')) + 1
            store[words[1]] = str(value).encode()
            return b':%d\r\n' % value
        if cmd == b'DBSIZE':
            return b':%d\r\n' % len(store)
        if cmd == b'DEL' and len(words) == 2:
            return b':%d\r\n' % (1 if store.pop(words[1], None) is not None else 0)
    if cmd == b'LIST':
        return b'*3\r\n' + bulk(b'a') + b':2\r\n*2\r\n+x\r\n$-1\r\n'
    if cmd == b'MAP':
        return b'%2\r\n+k1\r\n:1\r\n+k2\r\n' + bulk(b'v2')
    if cmd == b'ATTR':
        return b'|1\r\n+ttl\r\n:3600\r\n' + bulk(b'value')
    if cmd == b'BOOL':
        return b'#t\r\n'
    if cmd == b'DOUBLE':
        return b',3.14\r\n'
    if cmd == b'NULL':
        return b'_\r\n'
    if cmd == b'BIG' and len(words) == 2:
        return bulk(b'x' * int(words[1]))
    if cmd == b'HALF':
        return b'HALF'
    if cmd == b'SILENT':
        return b''
    return b'-ERR unknown command\r\n'


def serve(conn):
    buf = b''
    while True:
        try:
            data = conn.recv(65536)
        except OSError:
            break
        if not data:
            break
        buf += data
        replies = []
        while True:
            words, buf = parse(buf)
            if words is None:
                break
            reply = answer(words)
            if reply == b'HALF':
                conn.sendall(b'$10\r\nhalf')
                conn.close()
                return
            replies.append(reply)
        if replies:
            conn.sendall(b''.join(replies))
    conn.close()


while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
