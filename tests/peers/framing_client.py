# A client for netdemo's --framing line and length, written independently of netdemo.
# It writes several messages in one send, then one message split across two sends, and
# prints each reply it decodes, one per line, as Python's repr of the bytes.
#
#   framing_client.py line|length HOST PORT
#   framing_client.py oversize HOST PORT SIZE     (sends SIZE bytes with no newline)
import socket
import struct
import sys

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
family = socket.AF_INET6 if ':' in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.settimeout(10)
s.connect((host, port))
buf = b''


def recv_more():
    global buf
    chunk = s.recv(65536)
    if not chunk:
        raise EOFError
    buf += chunk


def read_line():
    global buf
    while b'\n' not in buf:
        recv_more()
    line, buf = buf.split(b'\n', 1)
    return line


def read_length():
    global buf
    while len(buf) < 4:
        recv_more()
    (n,) = struct.unpack('>I', buf[:4])
    while len(buf) < 4 + n:
        recv_more()
    frame, buf = buf[4:4 + n], buf[4 + n:]
    return frame


if mode == 'oversize':
    size = int(sys.argv[4])
    s.sendall(b'x' * size)
    try:
        while True:
            recv_more()
    except (EOFError, ConnectionResetError):
        print('closed')
    sys.exit(0)

if mode == 'line':
    frame = lambda m: m + b'\n'
    read = read_line
else:
    frame = lambda m: struct.pack('>I', len(m)) + m
    read = read_length

print(repr(read()))                          # the greeting
s.sendall(frame(b'one') + frame(b'two'))     # two messages in one send
print(repr(read()))
print(repr(read()))
whole = frame(b'three')
s.sendall(whole[:3])                          # one message in two sends
s.sendall(whole[3:])
print(repr(read()))
s.sendall(frame(b'exit'))
try:
    recv_more()
    print('not closed: %r' % buf)
except EOFError:
    print('closed')
