# Writes captures as tcpdump would, written independently of netdemo: classic pcap
# (microsecond timestamps) over Ethernet or Linux cooked (SLL) link layers, with IPv4 and
# TCP or UDP headers built here, for --replay to read.
#   pcap_writer.py KIND OUT
# KIND: tcp-ethernet, tcp-sll (a client sends "alpha\n", then "alpha\n" again as a
# retransmission, then "beta\ngam" and "ma\n": three lines in three segments that are not
# the lines), udp-ethernet (two datagrams to 10.0.0.2:53, one answer), truncated (the
# tcp-ethernet file cut inside a packet), linktype-147 (a link type nothing reads).
# A KIND ending in -slow has its packets 150 ms apart instead of 1 ms.
import socket
import struct
import sys

kind, out = sys.argv[1], sys.argv[2]
STEP_US = 1000
if kind.endswith("-slow"):
    kind, STEP_US = kind[: -len("-slow")], 150_000
CLIENT, SERVER = ("10.0.0.1", 40000), ("10.0.0.2", 7)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(src, dst, proto, payload):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def tcp(src, dst, seq, ack, flags, payload=b""):
    segment = struct.pack("!HHIIBBHHH", src[1], dst[1], seq, ack, 5 << 4, flags, 65535, 0, 0)
    return ipv4(src[0], dst[0], 6, segment + payload)


def udp(src, dst, payload):
    datagram = struct.pack("!HHHH", src[1], dst[1], 8 + len(payload), 0) + payload
    return ipv4(src[0], dst[0], 17, datagram)


def ethernet(packet):
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + packet


def sll(packet):
    # Packet type 4 (sent by us), ARPHRD_ETHER, address length 6, the address, IPv4.
    return struct.pack("!HHH8sH", 4, 1, 6, b"\x02\0\0\0\0\x01\0\0", 0x0800) + packet


SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
ISN = 7000


def tcp_packets():
    return [
        tcp(CLIENT, SERVER, ISN, 0, SYN),
        tcp(SERVER, CLIENT, 900, ISN + 1, SYN | ACK),
        tcp(CLIENT, SERVER, ISN + 1, 901, ACK),
        tcp(CLIENT, SERVER, ISN + 1, 901, PSH | ACK, b"alpha\n"),
        tcp(CLIENT, SERVER, ISN + 1, 901, PSH | ACK, b"alpha\n"),
        tcp(SERVER, CLIENT, 901, ISN + 7, PSH | ACK, b"alpha\n"),
        tcp(CLIENT, SERVER, ISN + 7, 907, PSH | ACK, b"beta\ngam"),
        tcp(CLIENT, SERVER, ISN + 15, 907, PSH | ACK, b"ma\n"),
        tcp(CLIENT, SERVER, ISN + 18, 907, FIN | ACK),
    ]


def pcap(link, frames):
    data = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link)
    for n, frame in enumerate(frames):
        sec, usec = divmod(n * STEP_US, 1_000_000)
        data += struct.pack("<IIII", 1_700_000_000 + sec, usec, len(frame), len(frame)) + frame
    return data


if kind == "tcp-ethernet":
    data = pcap(1, [ethernet(p) for p in tcp_packets()])
elif kind == "tcp-sll":
    data = pcap(113, [sll(p) for p in tcp_packets()])
elif kind == "udp-ethernet":
    dns = ("10.0.0.2", 53)
    data = pcap(1, [ethernet(p) for p in [
        udp(CLIENT, dns, b"one"),
        udp(dns, CLIENT, b"answer"),
        udp(CLIENT, dns, b"two"),
    ]])
elif kind == "truncated":
    whole = pcap(1, [ethernet(p) for p in tcp_packets()])
    data = whole[:len(whole) - 30]
elif kind == "linktype-147":
    data = pcap(147, [b"\0" * 40])
else:
    sys.exit("unknown kind " + kind)
with open(out, "wb") as f:
    f.write(data)
