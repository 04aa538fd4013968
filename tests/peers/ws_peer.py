# WebSocket peers written with Python's `websockets` library, independently of netdemo.
#   ws_peer.py serve PORT    a server on 127.0.0.1 (port 0 = any; announces "listening on
#                            ADDR" on stderr) that answers each message with "got: " and
#                            the message (binary: b"got: " + bytes), closes with 4002
#                            "done" on the text "bye", and serves only the path /chat
#                            (any other gets HTTP 404)
#   ws_peer.py client URL [--insecure] MSG...
#                            sends each text message and prints the reply, sends b"\x00\x01"
#                            and prints its repr, pings and prints "pong", closes with 4000
#                            and prints "closed CODE" with the code the server answered
#   ws_peer.py big URL N     sends one text message of N bytes and prints "closed CODE
#                            REASON" with the server's close
import asyncio
import http
import ssl
import sys

import websockets


async def answer(ws):
    async for message in ws:
        if message == "bye":
            await ws.close(4002, "done")
            return
        if isinstance(message, bytes):
            await ws.send(b"got: " + message)
        else:
            await ws.send("got: " + message)


def only_chat(connection, request):
    if request.path != "/chat":
        return connection.respond(http.HTTPStatus.NOT_FOUND, "no such path\n")
    return None


async def serve(port):
    async with websockets.serve(answer, "127.0.0.1", port, process_request=only_chat) as server:
        bound = server.sockets[0].getsockname()
        print("listening on %s:%d" % bound[:2], file=sys.stderr, flush=True)
        await asyncio.Future()


async def client(url, insecure, messages):
    context = None
    if url.startswith("wss://"):
        context = ssl.create_default_context()
        if insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
    async with websockets.connect(url, ssl=context) as ws:
        for message in messages:
            await ws.send(message)
            print(await ws.recv(), flush=True)
        await ws.send(b"\x00\x01")
        print(repr(await ws.recv()), flush=True)
        pong = await ws.ping()
        await pong
        print("pong", flush=True)
        await ws.close(4000, "test over")
        print("closed %s" % ws.close_code, flush=True)


async def big(url, size):
    async with websockets.connect(url) as ws:
        await ws.send("x" * size)
        try:
            await ws.recv()
        except websockets.ConnectionClosed as closed:
            print("closed %s %s" % (closed.rcvd.code, closed.rcvd.reason), flush=True)


if sys.argv[1] == "serve":
    asyncio.run(serve(int(sys.argv[2])))
elif sys.argv[1] == "big":
    asyncio.run(big(sys.argv[2], int(sys.argv[3])))
else:
    args = sys.argv[3:]
    insecure = "--insecure" in args
    asyncio.run(client(sys.argv[2], insecure, [a for a in args if a != "--insecure"]))
