# coding:utf8
# The tutorial's UDP client, ported to Python 3 for the interop tests. Only the address
# comes from the command line, and a timeout keeps a lost reply from hanging the test.
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 9999

family = socket.AF_INET6 if ':' in HOST else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.settimeout(10)

for data in [b'Hello', b'Word']:
    s.sendto(data, (HOST, PORT))
    print(s.recv(1024).decode('utf-8'))

s.close()
