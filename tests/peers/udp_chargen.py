#!/usr/bin/env python3
"""A chargen-like UDP server that netdemo did not write: answers every datagram, whatever
it holds, with 444 bytes of text (RFC 864's answer size range). Says "listening on
HOST:PORT" on stderr when ready.

    udp_chargen.py HOST PORT
"""
import socket
import sys

line = bytes(range(32, 127)) * 5
reply = line[:444]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
print("listening on %s:%d" % s.getsockname()[:2], file=sys.stderr, flush=True)
while True:
    _, peer = s.recvfrom(65536)
    s.sendto(reply, peer)
