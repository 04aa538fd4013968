# A SOCKS5 proxy written from RFC 1928 independently of netdemo, that knows names no
# resolver does: `--map NAME=IP` makes NAME reach IP, so a client that resolved a name
# itself (instead of sending it, socks5h) cannot get through. Every request is printed
# on stdout as "request ATYP HOST PORT"; any other name gets reply 4 (host unreachable).
#   socks5_proxy.py PORT [--map NAME=IP]...    announces "listening on ADDR" on stderr
import socket
import struct
import sys
import threading

port = int(sys.argv[1])
names = {}
args = sys.argv[2:]
while args:
    flag, value, args = args[0], args[1], args[2:]
    assert flag == "--map"
    name, ip = value.split("=")
    names[name] = ip

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", port))
s.listen(16)
print("listening on 127.0.0.1:%d" % s.getsockname()[1], file=sys.stderr, flush=True)


def exact(conn, n):
    data = b""
    while len(data) < n:
        more = conn.recv(n - len(data))
        if not more:
            raise EOFError
        data += more
    return data


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def serve(conn):
    try:
        version, count = exact(conn, 2)
        methods = exact(conn, count)
        if version != 5 or 0 not in methods:
            conn.sendall(b"\x05\xff")
            return
        conn.sendall(b"\x05\x00")
        _, cmd, _, atyp = exact(conn, 4)
        if atyp == 1:
            host = socket.inet_ntoa(exact(conn, 4))
        elif atyp == 4:
            host = socket.inet_ntop(socket.AF_INET6, exact(conn, 16))
        else:
            host = exact(conn, exact(conn, 1)[0]).decode()
        (dport,) = struct.unpack("!H", exact(conn, 2))
        print("request %d %s %d" % (atyp, host, dport), flush=True)
        ip = names.get(host) if atyp == 3 else host
        if ip is None:
            conn.sendall(b"\x05\x04\x00\x01" + b"\0" * 6)
            return
        try:
            upstream = socket.create_connection((ip, dport))
        except ConnectionRefusedError:
            conn.sendall(b"\x05\x05\x00\x01" + b"\0" * 6)
            return
        conn.sendall(b"\x05\x00\x00\x01" + b"\0" * 6)
        threading.Thread(target=pipe, args=(upstream, conn), daemon=True).start()
        pipe(conn, upstream)
    except (EOFError, OSError):
        pass


while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
