# A client that sends one line very slowly, a byte at a time, written independently of
# netdemo, for --idle-timeout's "silent means no byte at all".
#   slow_client.py HOST PORT PAUSE_MS BYTES   prints the echo of the line on stdout
import socket
import sys
import time

host, port, pause, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = socket.create_connection((host, port), timeout=10)
for _ in range(count):
    s.sendall(b'a')
    time.sleep(pause / 1000)
s.sendall(b'\n')
reply = b''
while not reply.endswith(b'\n'):
    data = s.recv(1024)
    if not data:
        break
    reply += data
sys.stdout.write(reply.decode())
