# A TCP client that misbehaves on purpose, for netdemo's fault tests.
#   faulty_client.py HOST PORT rst         greets, sends half a message, then resets (RST)
#   faulty_client.py HOST PORT half-close  sends "hi\n", closes its sending side, prints
#                                          everything received until the server closes
#   faulty_client.py HOST PORT silent      connects, sends nothing, waits for stdin to end
#   faulty_client.py HOST PORT flood BYTES sends BYTES without ever reading; prints
#                                          "blocked SENT" once sending has made no progress
#                                          for 2 s (or "sent SENT"), then waits for stdin
#   faulty_client.py HOST PORT source ADDR connects from ADDR (e.g. 127.0.0.2) and prints
#                                          what its first read got (b'' if closed)
# Each prints one line on stdout and exits 0.
import socket
import struct
import sys

host, port, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
family = socket.AF_INET6 if ':' in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
if how == 'source':
    s.bind((sys.argv[4], 0))
s.settimeout(10)
s.connect((host, port))


def until_closed():
    got = b''
    while True:
        data = s.recv(65536)
        if not data:
            return got
        got += data


if how == 'rst':
    s.recv(19)
    s.sendall(b'half a mess')
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    s.close()
    print('reset')
elif how == 'half-close':
    s.sendall(b'hi\n')
    s.shutdown(socket.SHUT_WR)
    print(until_closed().decode())
elif how == 'silent':
    print('connected')
    sys.stdin.read()
elif how == 'flood':
    total, sent = int(sys.argv[4]), 0
    chunk = b'x' * 65536
    s.settimeout(2)
    try:
        while sent < total:
            sent += s.send(chunk)
        print('sent %d' % sent)
    except socket.timeout:
        print('blocked %d' % sent)
    sys.stdin.read()
elif how == 'source':
    # One read: the greeting (one 19-byte write) or b'' when the server closed at once.
    print(repr(s.recv(65536)))
else:
    sys.exit('unknown behaviour: ' + how)
