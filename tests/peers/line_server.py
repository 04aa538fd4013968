# A line server with multi-line replies, in the manner of memcached's text protocol, written
# independently of netdemo, for --framing line --delimiter.
#   line_server.py HOST PORT     (port 0 = any; announces "listening on ADDR" on stderr)
# "get KEY": "VALUE KEY 0 <n>\r\n<data>\r\nEND\r\n" for the keys a and b, "END\r\n" for others;
# "stats": a few "STAT name value" lines, then "END\r\n".
import socket
import sys
import threading

host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(64)
print('listening on %s:%d' % s.getsockname()[:2], file=sys.stderr, flush=True)
values = {b'a': b'alpha', b'b': b'beta'}


def serve(conn):
    buf = b''
    while True:
        data = conn.recv(65536)
        if not data:
            break
        buf += data
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            words = line.strip().split()
            if words[:1] == [b'get'] and len(words) == 2:
                value = values.get(words[1])
                reply = b'END\r\n' if value is None else (
                    b'VALUE %s 0 %d\r\n%s\r\nEND\r\n' % (words[1], len(value), value))
            elif words == [b'stats']:
                reply = b'STAT pid 1\r\nSTAT curr_items 2\r\nEND\r\n'
            else:
                reply = b'ERROR\r\n'
            conn.sendall(reply)
    conn.close()


while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
