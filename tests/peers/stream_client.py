# A TCP client that sends a file and, at the same time, saves everything it receives,
# then prints the sha256 of what it received. Written independently of netdemo.
#   stream_client.py HOST PORT SEND_FILE
import hashlib
import socket
import sys
import threading

host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
family = socket.AF_INET6 if ':' in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.settimeout(30)
s.connect((host, port))
data = open(path, 'rb').read()


def send():
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)


sender = threading.Thread(target=send)
sender.start()
digest = hashlib.sha256()
total = 0
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    digest.update(chunk)
    total += len(chunk)
sender.join()
print('%d %s' % (total, digest.hexdigest()))
