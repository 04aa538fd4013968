#!/usr/bin/env python3
"""A TLS echo server that netdemo did not write: Python's ssl module. Each connection's
bytes come back unchanged. Once a handshake is done it prints one JSON line on stdout with
what the client asked for and showed: the server name (SNI), the ALPN protocol chosen,
the TLS version and the client certificate's subject. A failed handshake prints a JSON
line with the error instead. Says "listening on HOST:PORT" on stderr when ready.

    python3 tls_server.py HOST PORT CERT KEY [--alpn PROTO]... [--client-ca FILE]
"""
import argparse
import json
import socket
import ssl
import sys
import threading


def subject_cn(cert):
    for rdn in (cert or {}).get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return value
    return None


def serve(context, conn):
    names = {}

    try:
        tls = context.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError) as err:
        print(json.dumps({"error": str(err)}), flush=True)
        conn.close()
        return
    print(
        json.dumps(
            {
                "sni": getattr(tls, "netdemo_sni", None),
                "alpn": tls.selected_alpn_protocol(),
                "version": tls.version(),
                "client_subject": subject_cn(tls.getpeercert()),
            }
        ),
        flush=True,
    )
    try:
        while True:
            data = tls.recv(65536)
            if not data:
                break
            tls.sendall(data)
    except (ssl.SSLError, OSError):
        pass
    finally:
        tls.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("cert")
    parser.add_argument("key")
    parser.add_argument("--alpn", action="append", default=[])
    parser.add_argument("--client-ca")
    args = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    if args.alpn:
        context.set_alpn_protocols(args.alpn)
    if args.client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(args.client_ca)

    def remember_sni(tls, name, _context):
        tls.netdemo_sni = name

    context.sni_callback = remember_sni

    listener = socket.create_server((args.host, args.port))
    host, port = listener.getsockname()[:2]
    print(f"listening on {host}:{port}", file=sys.stderr, flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(context, conn), daemon=True).start()


if __name__ == "__main__":
    main()
