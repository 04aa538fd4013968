# A UDP request/reply server that answers out of order: it holds up to 4 datagrams per
# client and echoes them newest first (or after 20 ms, whatever it holds), so only an ID
# in each reply tells which request it answers. Announces "listening on HOST:PORT" on
# stderr.
#   udp_reorder.py HOST PORT
import select
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((host, port))
print('listening on %s:%d' % s.getsockname()[:2], file=sys.stderr, flush=True)
held = {}
oldest = {}


def flush(addr):
    for data in reversed(held.pop(addr, [])):
        s.sendto(data, addr)
    oldest.pop(addr, None)


while True:
    ready, _, _ = select.select([s], [], [], 0.005)
    if ready:
        data, addr = s.recvfrom(65536)
        held.setdefault(addr, []).append(data)
        oldest.setdefault(addr, time.monotonic())
        if len(held[addr]) >= 4:
            flush(addr)
    now = time.monotonic()
    for addr in [a for a, t in oldest.items() if now - t > 0.02]:
        flush(addr)
