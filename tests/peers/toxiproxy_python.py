# Drives a toxiproxy-compatible API with toxiproxy-python (PyPI, the v2 API client), as its
# users' test code would, and measures each fault's effect from outside on a live
# conversation through the proxy it makes.
#   toxiproxy_python.py API_HOST API_PORT UPSTREAM
# UPSTREAM is an echo server. Prints one JSON object of findings on stdout; exits 1 on an
# unexpected exception (the traceback says where).
import json
import socket
import sys
import time

from toxiproxy import Toxiproxy
from toxiproxy.exceptions import InvalidToxic, NotFound, ProxyExists

api_host, api_port, upstream = sys.argv[1], int(sys.argv[2]), sys.argv[3]
found = {}


def connect(listen):
    host, port = listen.rsplit(':', 1)
    s = socket.create_connection((host, int(port)), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def rtt_ms(s, payload=b'ping\n'):
    start = time.monotonic()
    s.sendall(payload)
    got = b''
    while len(got) < len(payload):
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError('closed after %d bytes' % len(got))
        got += chunk
    assert got == payload, got
    return (time.monotonic() - start) * 1000


tp = Toxiproxy()
tp.update_api_consumer(api_host, api_port)
found['running'] = tp.running()
found['version'] = json.loads(tp.version())['version']

proxy = tp.create(upstream=upstream, name='py', listen='127.0.0.1:0')
found['listen_bound'] = not proxy.listen.endswith(':0')
s = connect(proxy.listen)
found['rtt_before_ms'] = rtt_ms(s)

# Added while the connection is open: the next round trip feels it.
proxy.add_toxic(type='latency', stream='downstream', name='lat',
                attributes={'latency': 200, 'jitter': 0})
found['rtt_latency_ms'] = rtt_ms(s)
proxy.add_toxic(type='limit_data', stream='upstream', name='lim', attributes={'bytes': 1000})
found['toxics'] = sorted(proxy.toxics())
found['lat_attributes'] = proxy.get_toxic('lat').attributes

proxy.destroy_toxic('lat')
found['rtt_after_ms'] = rtt_ms(s)

# limit_data counts from when it was added: 10 bytes went up since; 990 more may pass,
# then both connections close.
s.sendall(b'x' * 2000)
echoed = 0
s.settimeout(10)
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        echoed += len(chunk)
except ConnectionResetError:
    pass
found['limit_echoed'] = echoed
proxy.destroy_toxic('lim')

# Bad input, answered with toxiproxy's status codes (the client raises by code).
try:
    proxy.add_toxic(type='nope', name='bad')
    found['unknown_type'] = 'accepted'
except InvalidToxic as err:
    found['unknown_type'] = str(err)
try:
    proxy.add_toxic(type='latency', name='bad', attributes={'latency': 'slow'})
    found['bad_attribute'] = 'accepted'
except InvalidToxic as err:
    found['bad_attribute'] = str(err)
try:
    tp.create(upstream=upstream, name='py')
    found['taken_name'] = 'accepted'
except ProxyExists:
    found['taken_name'] = 'ProxyExists'
try:
    tp.create(upstream=upstream, name='py2', listen=proxy.listen)
    found['taken_listen'] = 'accepted'
except ProxyExists:
    found['taken_listen'] = 'ProxyExists'
try:
    proxy.destroy_toxic('never')
    found['unknown_toxic'] = 'accepted'
except NotFound:
    found['unknown_toxic'] = 'NotFound'

# Disabled, the proxy stops listening and its connections end; enabled, it listens again
# on the same address.
proxy.disable()
try:
    connect(proxy.listen)
    found['disabled_refuses'] = False
except OSError:
    found['disabled_refuses'] = True
proxy.enable()
s = connect(proxy.listen)
found['rtt_enabled_ms'] = rtt_ms(s)

proxy.add_toxic(type='latency', name='lat2', attributes={'latency': 300})
tp.reset()
found['toxics_after_reset'] = sorted(proxy.toxics())
found['proxies'] = sorted(tp.proxies())
found['destroyed'] = bool(proxy.destroy())
found['proxies_after'] = sorted(tp.proxies())
print(json.dumps(found))
