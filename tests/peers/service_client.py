# Clients for the classic test services (echo, discard, chargen), written independently
# of netdemo. Each prints one line that the test compares.
#
#   service_client.py tcp-echo HOST PORT BYTES    sends BYTES random bytes, reads them back
#   service_client.py tcp-discard HOST PORT       sends, half-closes, expects nothing back
#   service_client.py tcp-chargen HOST PORT       reads 10,000 bytes and checks the pattern
#   service_client.py udp-echo|udp-discard|udp-chargen HOST PORT
import hashlib
import os
import socket
import sys
import threading

kind, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
family = socket.AF_INET6 if ':' in host else socket.AF_INET
TIMEOUT = 10


def chargen_line(i):
    chars = bytes(range(32, 127))
    return bytes(chars[(i + k) % 95] for k in range(72)) + b'\r\n'


if kind.startswith('tcp'):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect((host, port))

if kind == 'tcp-echo':
    size = int(sys.argv[4])
    data = os.urandom(size)
    # Send from a thread while reading here, so neither side's buffers can fill up.
    sender = threading.Thread(target=lambda: (s.sendall(data), s.shutdown(socket.SHUT_WR)))
    sender.start()
    got = bytearray()
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    sender.join()
    same = hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest()
    print('echoed %d bytes, %s' % (len(got), 'identical' if same else 'DIFFERENT'))
elif kind == 'tcp-discard':
    s.sendall(b'thrown away\n' * 100)
    s.shutdown(socket.SHUT_WR)
    print('got %d bytes back' % len(s.recv(65536)))
elif kind == 'tcp-chargen':
    got = bytearray()
    while len(got) < 10000:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    expected = b''.join(chargen_line(i) for i in range(len(got) // 74 + 1))[:len(got)]
    print('chargen %s' % ('matches' if bytes(got) == expected else 'DIFFERS'))
    s.close()
else:
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(0.3 if kind == 'udp-discard' else TIMEOUT)
    s.sendto(b'ping', (host, port))
    try:
        reply = s.recv(65536)
    except socket.timeout:
        reply = None
    if kind == 'udp-echo':
        print('reply %r' % reply)
    elif kind == 'udp-discard':
        print('no reply' if reply is None else 'reply %r' % reply)
    else:
        expected = b''.join(chargen_line(i) for i in range(6))
        print('chargen %d bytes, %s' % (len(reply), 'matches' if reply == expected else 'DIFFERS'))
