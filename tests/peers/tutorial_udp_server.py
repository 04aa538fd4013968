# coding:utf8
# The tutorial's UDP server, ported to Python 3 for the interop tests. The address comes
# from the command line and the bound address is announced on stderr.
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 9999

family = socket.AF_INET6 if ':' in HOST else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.bind((HOST, PORT))
host, port = s.getsockname()[:2]
shown = '[%s]:%d' % (host, port) if family == socket.AF_INET6 else '%s:%d' % (host, port)
print('listening on %s' % shown, file=sys.stderr, flush=True)
print('Bind UDP on %d...' % port)
while True:
    data, addr = s.recvfrom(1024)
    print('Received from %s:%s,' % addr[:2])
    s.sendto(b'Hello, %s' % data, addr)
