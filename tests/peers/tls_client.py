#!/usr/bin/env python3
"""A TLS client that netdemo did not write: Python's ssl module. Connects, reads the
seed greeting if asked, sends one message, reads the reply, and prints one JSON line: the
server certificate's SHA-256 fingerprint (as netdemo prints it), the TLS version, the
ALPN protocol chosen, the greeting and the reply.

Without --cafile the server's certificate is not verified: the caller compares the
fingerprint printed with the one the server announced, which is what pinning does.

    python3 tls_client.py HOST PORT MESSAGE [--sni NAME] [--alpn PROTO]... [--cafile FILE]
                          [--cert FILE --key FILE] [--greeting BYTES] [--reply BYTES]
"""
import argparse
import hashlib
import json
import socket
import ssl


def read_exactly(tls, count):
    got = b""
    while len(got) < count:
        chunk = tls.recv(count - len(got))
        if not chunk:
            break
        got += chunk
    return got


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("message")
    parser.add_argument("--sni")
    parser.add_argument("--alpn", action="append", default=[])
    parser.add_argument("--cafile")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--greeting", type=int, default=0)
    parser.add_argument("--reply", type=int)
    args = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if args.cafile:
        context.load_verify_locations(args.cafile)
    else:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if args.alpn:
        context.set_alpn_protocols(args.alpn)
    if args.cert:
        context.load_cert_chain(args.cert, args.key)

    with socket.create_connection((args.host, args.port), timeout=10) as sock:
        with context.wrap_socket(sock, server_hostname=args.sni or args.host) as tls:
            der = tls.getpeercert(binary_form=True)
            digest = hashlib.sha256(der).hexdigest().upper()
            fingerprint = "sha256:" + ":".join(
                digest[i : i + 2] for i in range(0, len(digest), 2)
            )
            greeting = read_exactly(tls, args.greeting)
            message = args.message.encode()
            tls.sendall(message)
            reply_len = args.reply if args.reply is not None else len(message)
            reply = read_exactly(tls, reply_len)
            print(
                json.dumps(
                    {
                        "fingerprint": fingerprint,
                        "version": tls.version(),
                        "alpn": tls.selected_alpn_protocol(),
                        "greeting": greeting.decode(errors="replace"),
                        "reply": reply.decode(errors="replace"),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
