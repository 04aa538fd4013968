# coding:utf8
# The tutorial's TCP server, ported to Python 3 for the interop tests.
# Changes from the tutorial, all outside the protocol: the address comes from the command
# line (port 0 = any free port), the bound address is announced on stderr as
# "listening on HOST:PORT" so tests need not guess, and the one-second sleep is a parameter.
import socket
import sys
import threading
import time

HOST = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
DELAY = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0


def dealClient(sock, addr):
    print("Accept new connection from %s:%s..." % addr[:2])
    sock.send(b'Hello, I am server!')
    while True:
        data = sock.recv(1024)
        time.sleep(DELAY)
        if not data or data.decode('utf-8') == 'exit':
            break
        print('-->>%s' % data.decode('utf-8'))
        sock.send(('Loop_Msg: %s!' % data.decode('utf-8')).encode('utf-8'))
    sock.close()


if __name__ == '__main__':
    family = socket.AF_INET6 if ':' in HOST else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((HOST, PORT))
    s.listen(5)
    host, port = s.getsockname()[:2]
    shown = '[%s]:%d' % (host, port) if family == socket.AF_INET6 else '%s:%d' % (host, port)
    print('listening on %s' % shown, file=sys.stderr, flush=True)
    print('Waiting for connnection..')
    while True:
        sock, addr = s.accept()
        t = threading.Thread(target=dealClient, args=(sock, addr), daemon=True)
        t.start()
