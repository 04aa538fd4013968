# A TCP server that gets the seed protocol wrong on purpose, for netdemo's load mode.
#   bad_server.py HOST PORT wrong     greets, then answers every 5th message with a typo
#   bad_server.py HOST PORT silent    greets, then never answers the 3rd message
#   bad_server.py HOST PORT reset     greets, sends the start of the first reply, then
#                                     resets the connection (RST)
# Announces "listening on HOST:PORT" on stderr.
import socket
import struct
import sys
import threading

host, port, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind((host, port))
s.listen(64)
print('listening on %s:%d' % s.getsockname()[:2], file=sys.stderr, flush=True)


def serve(conn):
    conn.sendall(b'Hello, I am server!')
    count = 0
    while True:
        data = conn.recv(1024)
        if not data or data == b'exit':
            break
        count += 1
        if how == 'silent' and count == 3:
            continue
        if how == 'reset':
            conn.sendall(b'Loop_Msg: ' + data[:len(data) // 2])
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            break
        mark = b'?' if how == 'wrong' and count % 5 == 0 else b'!'
        conn.sendall(b'Loop_Msg: ' + data + mark)
    conn.close()


while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
