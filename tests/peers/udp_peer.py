# Sends one datagram and prints the first reply, decoded as UTF-8. Written independently
# of netdemo.   udp_peer.py HOST PORT DATA
import socket
import sys

host, port, data = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
family = socket.AF_INET6 if ':' in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.settimeout(10)
s.sendto(data, (host, port))
print(s.recv(65536).decode())
