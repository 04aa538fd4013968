# A UDP server for the seed protocol that misbehaves on purpose, to test netdemo's UDP
# load figures. Announces "listening on HOST:PORT" on stderr.
#   udp_lossy.py HOST PORT drop10   answers all but every 10th datagram
#   udp_lossy.py HOST PORT dup5     answers every 5th datagram twice
#   udp_lossy.py HOST PORT swap     answers datagrams 2k+1 before 2k (pairs swapped)
#   udp_lossy.py HOST PORT forge    answers each datagram, then sends a copy whose first
#                                   8 bytes (netdemo's sequence number) are all 0xff
import socket
import sys

host, port, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((host, port))
print('listening on %s:%d' % s.getsockname()[:2], file=sys.stderr, flush=True)
count = 0
held = None
while True:
    data, addr = s.recvfrom(65536)
    count += 1
    reply = b'Hello, ' + data
    if how == 'drop10' and count % 10 == 0:
        continue
    if how == 'swap':
        if held is None:
            held = reply
            continue
        s.sendto(reply, addr)
        s.sendto(held, addr)
        held = None
        continue
    s.sendto(reply, addr)
    if how == 'forge':
        s.sendto(b'Hello, ' + b'\xff' * 8 + data[8:], addr)
    if how == 'dup5' and count % 5 == 0:
        s.sendto(reply, addr)
