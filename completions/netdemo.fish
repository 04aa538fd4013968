# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_netdemo_global_optspecs
    string join \n q/quiet v/verbose json x/hex-dump= pcap= pcap-secrets explain lang= color= h/help V/version
end

function __fish_netdemo_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_netdemo_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_netdemo_using_subcommand
    set -l cmd (__fish_netdemo_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c netdemo -n "__fish_netdemo_needs_command" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_needs_command" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_needs_command" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_needs_command" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_needs_command" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_needs_command" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_needs_command" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_needs_command" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_needs_command" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_needs_command" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_needs_command" -f -a "tcp" -d 'TCP server and client'
complete -c netdemo -n "__fish_netdemo_needs_command" -f -a "udp" -d 'UDP server and sender'
complete -c netdemo -n "__fish_netdemo_needs_command" -f -a "unix" -d 'Unix-domain stream socket server and client (every mode and framing of tcp)'
complete -c netdemo -n "__fish_netdemo_needs_command" -f -a "ws" -d 'WebSocket server and client (RFC 6455), wss:// with --tls'
complete -c netdemo -n "__fish_netdemo_needs_command" -f -a "merge" -d 'Add up the JSON reports of load runs (shards on several machines): histograms added, never percentiles averaged'
complete -c netdemo -n "__fish_netdemo_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c netdemo -n "__fish_netdemo_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -f -a "serve" -d 'Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -f -a "connect" -d 'Connect, show the greeting, send each message and show its reply, then send `exit`'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -f -a "relay" -d 'Accept clients and relay each one\'s bytes to --to and back, with faults if asked'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and not __fish_seen_subcommand_from serve connect relay help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l mode -d 'What clients get' -r -f -a "seed\t'The tutorial\'s protocol: TCP greets and answers `Loop_Msg: MESSAGE!`, UDP answers `Hello, DATA`'
echo\t'RFC 862: send back every message or datagram as received'
discard\t'RFC 863: show and drop every message or datagram, reply nothing'
chargen\t'RFC 864: rotating lines of printable characters (TCP: until the client leaves; UDP: six lines per datagram)'
source\t'TCP: the chargen pattern in large blocks, as fast as the client reads (for `tcp connect --mode receive`)'
stdio\t'netcat: stdin to the peer, the peer to stdout (TCP: one client at a time; UDP: stdin to the last sender)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l delay -d 'Wait this long before each reply in seed mode (the tutorial waits 1s), e.g. 250ms' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l max-connections -d 'Serve at most N clients at once; more wait, connected but not greeted, until one leaves' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l metrics -d 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l max-buffered -d 'Bytes of partial messages held across all connections, beyond 64K each; a client whose message would go over is disconnected. K, M or G suffixes [default: 64M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s w -l idle-timeout -d 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l on-eof -d 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]' -r -f -a "shutdown\t'Send FIN (half-close) and keep printing until the peer closes'
keep\t'Keep the connection fully open until the peer closes'
close\t'Close the connection at once'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l grace -d 'On Ctrl-C or SIGTERM, give clients this long to finish the message in hand before closing them; a second signal exits at once [default: 5s]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l threads -d 'Run connections on N threads, each with a runtime of its own [default: every core this process may use]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s e -l encoding -d 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\\xff) [default: utf-8]' -r -f -a "utf-8\t''
gbk\t''
gb18030\t''
big5\t''
shift_jis\t''
euc-jp\t''
euc-kr\t''
latin1\t''
utf-16le\t''
utf-16be\t''
hex\t''
base64\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l framing -d 'How messages are delimited on the stream (servers: seed, echo and discard modes; clients: seed, echo and request modes, and load runs) [default: raw]' -r -f -a "raw\t'One read is one message, as in the tutorial'
line\t'Newline-terminated lines; the newline is not part of the message'
length\t'A 4-byte big-endian length prefix, then the message'
resp\t'RESP (Redis): a request written as words is sent as an array of bulk strings; a reply is one complete value of any type'
http\t'HTTP/1.1 (clients): `GET /path` or `POST /path BODY` becomes a request; a reply is one complete response'
memcached\t'memcached\'s text protocol (clients): a request is a line ending in \\r\\n, and a storage command\'s data block (\'set k 0 0 5\\r\\nhello\'); a reply runs to its last line (STORED, END after VALUE blocks, ...)'
ws\t'WebSocket (clients): the upgrade to --ws-path first, then each message one frame (text, or binary when not UTF-8); a reply is one data message'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l delimiter -d 'With --framing line, a received message ends at STRING instead of at a newline (memcached\'s multi-line replies end in \'END\\r\\n\'); \\r, \\n, \\t, \\\\ and \\xNN are understood' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l max-frame -d 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l allow -d 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l deny -d 'Never talk to peers in this range; repeatable; wins over --allow' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l host -d 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s p -l port -d 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l cert -d 'The server\'s certificate chain, PEM, leaf first (with --key)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l key -d 'The private key of --cert, PEM (PKCS#8, PKCS#1 or SEC1)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l client-ca -d 'Require a client certificate signed by a CA in this PEM file' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l alpn -d 'An application protocol this server speaks (ALPN), e.g. h2 or http/1.1; repeatable, in order of preference. Clients that offer only other protocols are refused; clients that offer none are served' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l keylog -d 'Append the TLS secrets of each connection to FILE in the NSS key log format, so Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s k -l keep-open -d 'In stdio mode, serve one client after another instead of exiting after the first'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l stats -d 'Print connections, messages and bytes per second on stderr once a second'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l crlf -d 'With --framing line, end the lines netdemo sends with \\r\\n instead of \\n'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l tls -d 'Speak TLS: each client\'s handshake comes first. Without --cert, a throwaway self-signed certificate is made at start and its SHA-256 fingerprint printed'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l replay -d 'Send what the client of the first TCP stream in a pcap or pcapng capture sent (netdemo\'s --pcap, tcpdump\'s, Wireshark\'s), split into messages by --framing; with --mode request and load flags, they are the requests' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l mode -d 'What to do once connected' -r -f -a "seed\t'The tutorial\'s client: send each message, show each reply'
echo\t'An RFC 862 client: send each message, expect it back unchanged (no greeting)'
request\t'Any request/reply service: send each message, read exactly one reply (one frame of --framing), check it against --expect; no greeting, no exit'
stdio\t'netcat: stdin to the server, the server to stdout'
send\t'Throughput: send bytes as fast as the server takes them (against discard or any sink), with -c streams, for -d or -n BYTES; a line per second on stderr. UDP: numbered datagrams paced to --bitrate, then what arrived, asked of udp serve --mode discard'
receive\t'Throughput: read as fast as the server sends (against source, chargen or any source), with -c streams, for -d or -n BYTES. UDP: ask udp serve --mode source for a stream at --bitrate for -d, and count what arrives'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l ws-path -d 'With --framing ws: the path (and query) of the WebSocket URL [default: /]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l preset -d 'A protocol netdemo knows: memcached (--framing memcached, --mode request), so \'set k 0 0 5\\r\\nhello\' and \'get k\' load with --pipeline and nothing more' -r -f -a "dns\t'DNS (udp send): the query ID at offset 0 (2 bytes), replies checked for RCODE NOERROR'
memcached\t'memcached\'s text protocol (tcp connect): --framing memcached in --mode request'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l wait -d 'Keep trying a refused connection until it succeeds or this much time has passed' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l on-eof -d 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]' -r -f -a "shutdown\t'Send FIN (half-close) and keep printing until the peer closes'
keep\t'Keep the connection fully open until the peer closes'
close\t'Close the connection at once'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s w -l idle-timeout -d 'In stdio mode, close the connection when nothing moves either way for this long, like nc -w' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l timeout -d 'Give up on connecting, on any one reply, or on a throughput stream where nothing moves, after this long' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s e -l encoding -d 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\\xff) [default: utf-8]' -r -f -a "utf-8\t''
gbk\t''
gb18030\t''
big5\t''
shift_jis\t''
euc-jp\t''
euc-kr\t''
latin1\t''
utf-16le\t''
utf-16be\t''
hex\t''
base64\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l framing -d 'How messages are delimited on the stream (servers: seed, echo and discard modes; clients: seed, echo and request modes, and load runs) [default: raw]' -r -f -a "raw\t'One read is one message, as in the tutorial'
line\t'Newline-terminated lines; the newline is not part of the message'
length\t'A 4-byte big-endian length prefix, then the message'
resp\t'RESP (Redis): a request written as words is sent as an array of bulk strings; a reply is one complete value of any type'
http\t'HTTP/1.1 (clients): `GET /path` or `POST /path BODY` becomes a request; a reply is one complete response'
memcached\t'memcached\'s text protocol (clients): a request is a line ending in \\r\\n, and a storage command\'s data block (\'set k 0 0 5\\r\\nhello\'); a reply runs to its last line (STORED, END after VALUE blocks, ...)'
ws\t'WebSocket (clients): the upgrade to --ws-path first, then each message one frame (text, or binary when not UTF-8); a reply is one data message'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l delimiter -d 'With --framing line, a received message ends at STRING instead of at a newline (memcached\'s multi-line replies end in \'END\\r\\n\'); \\r, \\n, \\t, \\\\ and \\xNN are understood' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l max-frame -d 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l expect -d 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \\r, \\n, \\t, \\\\ and \\xNN are understood). Repeatable: matched to the messages by position, or one for all' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l expect-regex -d 'In request mode, each reply (as shown) must contain a match for this regular expression' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s c -l connections -d 'Run the conversation on N connections at once' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s d -l duration -d 'Measure for this long [default: 10s, unless -n is given]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s n -l requests -d 'Stop after N attempts in all: requests, and connections or greetings that failed; with --mode send or receive, after N bytes in all (K, M, G)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l rate -d 'Open loop: R requests (or datagrams) per second in all, due on schedule whatever the replies do, latency counted from when each was due; k and M are 1,000 and 1,000,000. A range LOW..HIGH ramps with --ramp, or bounds --find-max-rate [search default: 100..1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l ramp -d 'Ramp linearly from --rate\'s LOW to HIGH over DURATION (the run\'s length)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l stages -d 'Open loop in stages, each DURATION@RATE (a hold) or DURATION@FROM..TO (a ramp), e.g. \'10s@1k,30s@5k..20k,10s@20k..0\'; the report keeps each stage\'s latency' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l slo -d 'The promise for --find-max-rate, bounds joined by commas: p50, p90, p99, p999 or max below a latency (us, ms, s), errors below a share (0.1%) or a count, e.g. \'p99<5ms,errors<0.1%\'' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l step-duration -d 'How long each step of --find-max-rate measures, after a warm-up it discards (--warmup, or 1s) [default: 4s]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l size -d 'Payload size in bytes when no message is given, at most --max-frame (1024 with --framing raw) [default: 16]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l pipeline -d 'Keep up to N requests in flight on each connection, replies matched first in, first out (not with --framing raw) [default: 1]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l warmup -d 'Run this long first, without recording, so connections and caches are warm' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l hist-log -d 'Write the latency as an HdrHistogram interval log to FILE, one histogram a second, for HistogramLogProcessor and other HdrHistogram tools' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l html -d 'Write the run also as a page to FILE, one HTML file that fetches nothing: the latency distribution, latency, rate and errors each second (bits/s with --mode send|receive), and what ran' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l metrics -d 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1) while it runs: requests, errors by kind, the latency histogram and its percentiles' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l interval -d 'Print what completed every DURATION (at least 100ms): a line on stderr, terminal or not (in place of the live line), or an `interval` event with --json' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l threads -d 'Run the connections (or --mode send|receive streams) on N threads [default: every core this process may use]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l shard -d 'Run shard I of N (1/3, 2/3, 3/3): this process takes every N-th request of the whole run\'s schedule; -c, -n and --rate are totals across the shards' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l start-at -d 'Start at this wall-clock time, RFC 3339 (2026-11-25T20:00:00Z), so every shard starts at the same instant (clocks synchronised by NTP)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l host -d 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s p -l port -d 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l proxy -d 'Reach the target through a proxy: socks5://[USER:PASS@]HOST[:PORT] (SOCKS5; a target name is resolved by the proxy, as socks5h) or http://[USER:PASS@]HOST[:PORT] (an HTTP proxy\'s CONNECT) [default ports: 1080, 3128]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l source -d 'Send from this local address, and port if given: ADDR, ADDR:PORT, [V6]:PORT or :PORT (as nc -s and -p); a fixed port allows one connection at a time' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l cacert -d 'Trust the CAs in this PEM file instead of the system\'s' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l pin -d 'Trust exactly the certificate with this SHA-256 fingerprint, as a netdemo server prints it (sha256:AB:CD:..., colons optional), and no other' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l sni -d 'The server name to ask for (SNI) and to verify [default: the host given; none for an IP address]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l alpn -d 'An application protocol to offer (ALPN), e.g. h2 or http/1.1; repeatable' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l keylog -d 'Append the TLS secrets of each connection to FILE in the NSS key log format, so Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l cert -d 'A client certificate chain, PEM, for servers that ask for one (with --key)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l key -d 'The private key of --cert, PEM' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l tls-resume -d 'Resume TLS sessions on later connections to the same server (a short handshake with no certificate), as browsers, curl and openssl do; off makes every handshake a full one [default: on]' -r -f -a "on\t''
off\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l replay-timing -d 'With --replay, send each message no sooner than the capture\'s gap after the first (as well as after the last reply)'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l bidir -d 'With --mode send or receive: both directions at once on every stream, each counted and reported (as iperf3 --bidir), against a server that reads and writes at once: tcp serve --mode source or chargen'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l crlf -d 'With --framing line, end the lines netdemo sends with \\r\\n instead of \\n'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l find-max-rate -d 'Find the highest rate that keeps --slo: steps up from --rate\'s LOW, doubling, then bisects between the last rate that kept the promise and the first that broke it'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l reconnect -d 'Each request on a new connection: connect, greeting, request, reply, close. The report adds connections per second; connect times are apart from request latency'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s z -l zero-io -d 'Only report whether something listens and how long connecting took; send nothing. Succeeds if any port is open'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l tls -d 'Speak TLS. The server\'s certificate is verified against the system\'s CAs and the host name, unless --cacert, --pin or --insecure say otherwise'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l insecure -d 'Do not verify the server\'s certificate at all (says so on stderr)'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l to -d 'The server to relay to, as HOST:PORT ([::1]:PORT for IPv6). Without it, relays are made through --api' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l api -d 'Serve an HTTP API compatible with toxiproxy 2.12 on ADDR (a port binds 127.0.0.1; toxiproxy\'s own is 8474): its clients make relays and add, change and remove faults (toxics) while connections run. The relay of --to is the proxy `default`' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l schedule -d 'Change the faults of the relay over time, e.g. \'10s:latency=200ms;30s:reset; 45s:clear\': at each time from the start, each fault named replaces the one of its kind (in the directions of --direction), `clear` removes them all. Faults: latency, jitter, timeout[=DURATION], reset[=DURATION], and for tcp bandwidth, slice, reset-after, close-after, slow-close (and fail, hold with --framing); for udp loss, duplicate, reorder' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l source -d 'Connect to the target from this local address (its port is the system\'s choice)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l timeout -d 'Give up connecting to --to after this long [default: 10s]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l bandwidth -d 'Forward at most this many bytes per second each way, e.g. 64K or 1M (K, M, G)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l slice -d 'Forward in pieces of at most this many bytes, each written on its own' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l reset-after -d 'Reset both connections (RST) once this many bytes went one way' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l close-after -d 'Close both connections (FIN) once this many bytes went one way' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l drop-chunks -d 'Drop this share of chunks, e.g. 5%: TCP does not send them again, so the stream breaks (bytes missing from its middle), which is what this tests' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l corrupt -d 'Flip one byte in this share of chunks, e.g. 1%' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l blackhole -d 'Let nothing through on this share of connections, e.g. 10%: their requests never reach the target, and the client waits' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l latency -d 'Delay everything by this long, e.g. 100ms (TCP keeps the order)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l jitter -d 'Add a random delay of up to this long on top of --latency, drawn per chunk or datagram' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l direction -d 'Which way faults apply: down (server to client, as toxiproxy\'s default), up (client to server) or both (each way: --latency 100ms then adds 200 ms to a request and its reply). Down, a fault\'s figure is what a request/reply feels: --latency 100ms adds 100 ms, --loss 20% fails 20% of queries. The relay says which faults are in force, and which way, at start and on every change' -r -f -a "up\t'Client to server'
down\t'Server to client'
both\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l seed -d 'Seed of the random choices (jitter, loss, duplication, reordering), so a run can be repeated exactly [default: a new one each run, printed at start]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l framing -d 'Read requests and replies as this framing, for --fail-requests and --hold-requests (and the toxics fail_requests, hold_requests through --api or --schedule)' -r -f -a "raw\t'One read is one message, as in the tutorial'
line\t'Newline-terminated lines; the newline is not part of the message'
length\t'A 4-byte big-endian length prefix, then the message'
resp\t'RESP (Redis): a request written as words is sent as an array of bulk strings; a reply is one complete value of any type'
http\t'HTTP/1.1 (clients): `GET /path` or `POST /path BODY` becomes a request; a reply is one complete response'
memcached\t'memcached\'s text protocol (clients): a request is a line ending in \\r\\n, and a storage command\'s data block (\'set k 0 0 5\\r\\nhello\'); a reply runs to its last line (STORED, END after VALUE blocks, ...)'
ws\t'WebSocket (clients): the upgrade to --ws-path first, then each message one frame (text, or binary when not UTF-8); a reply is one data message'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l fail-requests -d 'Answer every Nth request (3) or a share of them (10%) with the relay\'s own failure, in the framing: HTTP 503, a RESP error, a line, a length-prefixed frame. Such a request never reaches the target' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l hold-requests -d 'Pass every Nth request (3) or a share of them (10%) on, but keep back its reply and every reply after it on that connection, as a server that stalls: the client\'s timeout is what is tested' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l fail-reply -d 'The text of the relay\'s own failure [default: netdemo relay: injected failure]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l max-connections -d 'Relay at most N clients at once; more wait, accepted, until one leaves, and a line a second says how many wait [default: 10000]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l max-buffered -d 'Bytes waiting to leave (--latency, --jitter, --bandwidth, --slice) across all connections; once reached the relay stops reading from either side until some have gone, so senders slow down instead of its memory growing. K, M or G suffixes [default: 64M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l metrics -d 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l grace -d 'On Ctrl-C or SIGTERM, give relayed connections this long to finish [default: 5s]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l threads -d 'Relay on N threads [default: every core this process may use]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l allow -d 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l deny -d 'Never talk to peers in this range; repeatable; wins over --allow' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l host -d 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -s p -l port -d 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l stats -d 'Print connections and bytes per second each way on stderr once a second'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from relay" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect, show the greeting, send each message and show its reply, then send `exit`'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from help" -f -a "relay" -d 'Accept clients and relay each one\'s bytes to --to and back, with faults if asked'
complete -c netdemo -n "__fish_netdemo_using_subcommand tcp; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -f -a "serve" -d 'Answer each datagram with `Hello, DATA`'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -f -a "send" -d 'Send each argument as one datagram and show each reply'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -f -a "relay" -d 'Relay each client\'s datagrams to --to and the replies back, with faults if asked'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and not __fish_seen_subcommand_from serve send relay help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l mode -d 'What senders get' -r -f -a "seed\t'The tutorial\'s protocol: TCP greets and answers `Loop_Msg: MESSAGE!`, UDP answers `Hello, DATA`'
echo\t'RFC 862: send back every message or datagram as received'
discard\t'RFC 863: show and drop every message or datagram, reply nothing'
chargen\t'RFC 864: rotating lines of printable characters (TCP: until the client leaves; UDP: six lines per datagram)'
source\t'TCP: the chargen pattern in large blocks, as fast as the client reads (for `tcp connect --mode receive`)'
stdio\t'netcat: stdin to the peer, the peer to stdout (TCP: one client at a time; UDP: stdin to the last sender)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l framing -d 'In stdio mode, how stdin becomes datagrams and datagrams are printed [default: line]' -r -f -a "line\t'Each line of stdin is a datagram, without its line ending; each datagram received is printed as a line'
raw\t'Each read of stdin is a datagram; datagrams received are printed as they are'"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l metrics -d 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l threads -d 'Answer on N sockets sharing the port (SO_REUSEPORT), a thread each: the kernel spreads senders over them by address and port, and one sender stays on one socket [default: every core this process may use]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l allow -d 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l deny -d 'Never talk to peers in this range; repeatable; wins over --allow' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l host -d 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -s p -l port -d 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -s e -l encoding -d 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\\xff) [default: utf-8]' -r -f -a "utf-8\t''
gbk\t''
gb18030\t''
big5\t''
shift_jis\t''
euc-jp\t''
euc-kr\t''
latin1\t''
utf-16le\t''
utf-16be\t''
hex\t''
base64\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l stats -d 'Print datagrams and bytes per second on stderr once a second'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l allow-amplification -d 'Answer with more bytes than a datagram brought (chargen, the seed protocol\'s `Hello, `) even when other machines can reach the server. Off, such a server sends no larger reply: with spoofed senders it would flood a third party (reflection)'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l replay -d 'Send the datagrams of a pcap or pcapng capture (netdemo\'s --pcap, tcpdump\'s, Wireshark\'s) that went to the address its first datagram went to, in order; with --mode request and load flags, they are the requests' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l mode -d 'What to send: the arguments (seed, echo, request), or stdin (stdio)' -r -f -a "seed\t'The tutorial\'s client: send each message, show each reply'
echo\t'An RFC 862 client: send each message, expect it back unchanged (no greeting)'
request\t'Any request/reply service: send each message, read exactly one reply (one frame of --framing), check it against --expect; no greeting, no exit'
stdio\t'netcat: stdin to the server, the server to stdout'
send\t'Throughput: send bytes as fast as the server takes them (against discard or any sink), with -c streams, for -d or -n BYTES; a line per second on stderr. UDP: numbered datagrams paced to --bitrate, then what arrived, asked of udp serve --mode discard'
receive\t'Throughput: read as fast as the server sends (against source, chargen or any source), with -c streams, for -d or -n BYTES. UDP: ask udp serve --mode source for a stream at --bitrate for -d, and count what arrives'"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l framing -d 'In stdio mode, how stdin becomes datagrams and datagrams are printed [default: line]' -r -f -a "line\t'Each line of stdin is a datagram, without its line ending; each datagram received is printed as a line'
raw\t'Each read of stdin is a datagram; datagrams received are printed as they are'"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l match-id -d 'Match replies to requests by the ID at byte OFFSET, LEN bytes long (1 to 4, big-endian): netdemo writes a fresh one into each request (--mode request)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l preset -d 'The protocol\'s own matching and checks: dns (the ID at 0:2; an answer with RCODE NOERROR, or it is a wrong reply) (--mode request)' -r -f -a "dns\t'DNS (udp send): the query ID at offset 0 (2 bytes), replies checked for RCODE NOERROR'
memcached\t'memcached\'s text protocol (tcp connect): --framing memcached in --mode request'"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l bitrate -d 'With --mode send: bits per second, K/M/G as 1,000s (as iperf3 -b), paced; 0 sends as fast as the socket takes them [default: 1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l dns-query -d 'Send a DNS query for NAME and TYPE (A, AAAA, MX, TXT, NS, CNAME, SOA, PTR, SRV, ANY, or a number) instead of DATA; implies --preset dns (--mode request)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l timeout -d 'Wait this long for each reply before sending again; in stdio mode, how long to wait for replies after stdin ends' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l retries -d 'Send a datagram again this many times when no reply comes, at most 100 [default: 2]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l expect -d 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \\r, \\n, \\t, \\\\ and \\xNN are understood). Repeatable: matched to the messages by position, or one for all' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l expect-regex -d 'In request mode, each reply (as shown) must contain a match for this regular expression' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s c -l connections -d 'Send from N sockets at once, each its own source port (--mode request)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l pipeline -d 'Keep up to N requests in flight on each socket, matched by --match-id or --preset (--mode request) [default: 1]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l threads -d 'Run the sockets on N threads (--mode request) [default: every core this process may use]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s n -l count -d 'Send N datagrams in all (seed and echo: numbered; request mode: N requests)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s d -l duration -d 'Send for this long [default: 10s, unless -n is given]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l rate -d 'Open loop: R requests (or datagrams) per second in all, due on schedule whatever the replies do, latency counted from when each was due; k and M are 1,000 and 1,000,000. A range LOW..HIGH ramps with --ramp, or bounds --find-max-rate [search default: 100..1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l ramp -d 'Ramp linearly from --rate\'s LOW to HIGH over DURATION (the run\'s length)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l stages -d 'Open loop in stages, each DURATION@RATE (a hold) or DURATION@FROM..TO (a ramp), e.g. \'10s@1k,30s@5k..20k,10s@20k..0\'; the report keeps each stage\'s latency' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l slo -d 'The promise for --find-max-rate, bounds joined by commas: p50, p90, p99, p999 or max below a latency (us, ms, s), errors below a share (0.1%) or a count, e.g. \'p99<5ms,errors<0.1%\'' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l step-duration -d 'How long each step of --find-max-rate measures, after a warm-up it discards (--warmup, or 1s) [default: 4s]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l interval -d 'Print what completed every DURATION (at least 100ms): a line on stderr, terminal or not, or an `interval` event with --json (--mode request)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l html -d 'Write the run also as a page to FILE, one HTML file that fetches nothing: the latency distribution, latency, rate and errors each second (bits/s with --mode send|receive), and what ran' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l metrics -d 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1) while it runs: requests, errors by kind, the latency histogram and its percentiles' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l size -d 'Datagram size in bytes, at least 16 [default: 64]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l shard -d 'Run shard I of N (1/3, 2/3, 3/3): this process takes every N-th request of the whole run\'s schedule; -c, -n and --rate are totals across the shards' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l start-at -d 'Start at this wall-clock time, RFC 3339 (2026-11-25T20:00:00Z), so every shard starts at the same instant (clocks synchronised by NTP)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l host -d 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s p -l port -d 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l source -d 'Send from this local address, and port if given: ADDR, ADDR:PORT, [V6]:PORT or :PORT (as nc -s and -p); a fixed port allows one connection at a time' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s e -l encoding -d 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\\xff) [default: utf-8]' -r -f -a "utf-8\t''
gbk\t''
gb18030\t''
big5\t''
shift_jis\t''
euc-jp\t''
euc-kr\t''
latin1\t''
utf-16le\t''
utf-16be\t''
hex\t''
base64\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l replay-timing -d 'With --replay, send each datagram no sooner than the capture\'s gap after the first (as well as after the last reply)'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l find-max-rate -d 'Find the highest rate that keeps --slo: steps up from --rate\'s LOW, doubling, then bisects between the last rate that kept the promise and the first that broke it'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from send" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l to -d 'The server to relay to, as HOST:PORT ([::1]:PORT for IPv6). Without it, relays are made through --api' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l api -d 'Serve an HTTP API compatible with toxiproxy 2.12 on ADDR (a port binds 127.0.0.1; toxiproxy\'s own is 8474): its clients make relays and add, change and remove faults (toxics) while connections run. The relay of --to is the proxy `default`' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l schedule -d 'Change the faults of the relay over time, e.g. \'10s:latency=200ms;30s:reset; 45s:clear\': at each time from the start, each fault named replaces the one of its kind (in the directions of --direction), `clear` removes them all. Faults: latency, jitter, timeout[=DURATION], reset[=DURATION], and for tcp bandwidth, slice, reset-after, close-after, slow-close (and fail, hold with --framing); for udp loss, duplicate, reorder' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l source -d 'Connect to the target from this local address (its port is the system\'s choice)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l loss -d 'Drop this share of datagrams, written 10% or 10' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l duplicate -d 'Send this share of datagrams twice' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l reorder -d 'Hold this share of datagrams back until the next one has gone (or 50ms passed)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l latency -d 'Delay everything by this long, e.g. 100ms (TCP keeps the order)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l jitter -d 'Add a random delay of up to this long on top of --latency, drawn per chunk or datagram' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l direction -d 'Which way faults apply: down (server to client, as toxiproxy\'s default), up (client to server) or both (each way: --latency 100ms then adds 200 ms to a request and its reply). Down, a fault\'s figure is what a request/reply feels: --latency 100ms adds 100 ms, --loss 20% fails 20% of queries. The relay says which faults are in force, and which way, at start and on every change' -r -f -a "up\t'Client to server'
down\t'Server to client'
both\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l seed -d 'Seed of the random choices (jitter, loss, duplication, reordering), so a run can be repeated exactly [default: a new one each run, printed at start]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -s w -l idle-timeout -d 'End a client\'s session (its upstream socket) after this long without a datagram either way [default: 60s]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l metrics -d 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l allow -d 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l deny -d 'Never talk to peers in this range; repeatable; wins over --allow' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l host -d 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -s p -l port -d 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l stats -d 'Print datagrams, bytes per second and datagrams dropped on stderr once a second'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l allow-amplification -d 'Send each client everything the target answers, and allow --duplicate, even when other machines can reach the relay. Off, such a relay sends a client at most 10x the bytes it sent (over 10 s, plus 1500 bytes): with spoofed senders it would flood a third party (reflection)'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from relay" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Answer each datagram with `Hello, DATA`'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from help" -f -a "send" -d 'Send each argument as one datagram and show each reply'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from help" -f -a "relay" -d 'Relay each client\'s datagrams to --to and the replies back, with faults if asked'
complete -c netdemo -n "__fish_netdemo_using_subcommand udp; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -f -a "serve" -d 'Accept clients on a Unix-domain socket, as `tcp serve` does on a port'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -f -a "connect" -d 'Connect to a Unix-domain socket, as `tcp connect` does to a port'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and not __fish_seen_subcommand_from serve connect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l path -d 'The socket to listen on: a file path, or @NAME for a Linux abstract name (no file). A stale socket file left by a server that is gone is replaced; the file is removed when the server stops' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l socket-mode -d 'Permissions of the socket file, in octal as chmod takes them (0600: only this user may connect), set before any client can connect [default: from the umask]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l mode -d 'What clients get' -r -f -a "seed\t'The tutorial\'s protocol: TCP greets and answers `Loop_Msg: MESSAGE!`, UDP answers `Hello, DATA`'
echo\t'RFC 862: send back every message or datagram as received'
discard\t'RFC 863: show and drop every message or datagram, reply nothing'
chargen\t'RFC 864: rotating lines of printable characters (TCP: until the client leaves; UDP: six lines per datagram)'
source\t'TCP: the chargen pattern in large blocks, as fast as the client reads (for `tcp connect --mode receive`)'
stdio\t'netcat: stdin to the peer, the peer to stdout (TCP: one client at a time; UDP: stdin to the last sender)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l delay -d 'Wait this long before each reply in seed mode (the tutorial waits 1s), e.g. 250ms' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l max-connections -d 'Serve at most N clients at once; more wait, connected but not greeted, until one leaves' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l metrics -d 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l max-buffered -d 'Bytes of partial messages held across all connections, beyond 64K each; a client whose message would go over is disconnected. K, M or G suffixes [default: 64M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -s w -l idle-timeout -d 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l on-eof -d 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]' -r -f -a "shutdown\t'Send FIN (half-close) and keep printing until the peer closes'
keep\t'Keep the connection fully open until the peer closes'
close\t'Close the connection at once'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l grace -d 'On Ctrl-C or SIGTERM, give clients this long to finish the message in hand before closing them; a second signal exits at once [default: 5s]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l threads -d 'Run connections on N threads, each with a runtime of its own [default: every core this process may use]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -s e -l encoding -d 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\\xff) [default: utf-8]' -r -f -a "utf-8\t''
gbk\t''
gb18030\t''
big5\t''
shift_jis\t''
euc-jp\t''
euc-kr\t''
latin1\t''
utf-16le\t''
utf-16be\t''
hex\t''
base64\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l framing -d 'How messages are delimited on the stream (servers: seed, echo and discard modes; clients: seed, echo and request modes, and load runs) [default: raw]' -r -f -a "raw\t'One read is one message, as in the tutorial'
line\t'Newline-terminated lines; the newline is not part of the message'
length\t'A 4-byte big-endian length prefix, then the message'
resp\t'RESP (Redis): a request written as words is sent as an array of bulk strings; a reply is one complete value of any type'
http\t'HTTP/1.1 (clients): `GET /path` or `POST /path BODY` becomes a request; a reply is one complete response'
memcached\t'memcached\'s text protocol (clients): a request is a line ending in \\r\\n, and a storage command\'s data block (\'set k 0 0 5\\r\\nhello\'); a reply runs to its last line (STORED, END after VALUE blocks, ...)'
ws\t'WebSocket (clients): the upgrade to --ws-path first, then each message one frame (text, or binary when not UTF-8); a reply is one data message'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l delimiter -d 'With --framing line, a received message ends at STRING instead of at a newline (memcached\'s multi-line replies end in \'END\\r\\n\'); \\r, \\n, \\t, \\\\ and \\xNN are understood' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l max-frame -d 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -s k -l keep-open -d 'In stdio mode, serve one client after another instead of exiting after the first'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l stats -d 'Print connections, messages and bytes per second on stderr once a second'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l crlf -d 'With --framing line, end the lines netdemo sends with \\r\\n instead of \\n'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l path -d 'The socket to connect to: a file path, or @NAME for a Linux abstract name' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l replay -d 'Send what the client of the first TCP stream in a pcap or pcapng capture sent (netdemo\'s --pcap, tcpdump\'s, Wireshark\'s), split into messages by --framing; with --mode request and load flags, they are the requests' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l mode -d 'What to do once connected' -r -f -a "seed\t'The tutorial\'s client: send each message, show each reply'
echo\t'An RFC 862 client: send each message, expect it back unchanged (no greeting)'
request\t'Any request/reply service: send each message, read exactly one reply (one frame of --framing), check it against --expect; no greeting, no exit'
stdio\t'netcat: stdin to the server, the server to stdout'
send\t'Throughput: send bytes as fast as the server takes them (against discard or any sink), with -c streams, for -d or -n BYTES; a line per second on stderr. UDP: numbered datagrams paced to --bitrate, then what arrived, asked of udp serve --mode discard'
receive\t'Throughput: read as fast as the server sends (against source, chargen or any source), with -c streams, for -d or -n BYTES. UDP: ask udp serve --mode source for a stream at --bitrate for -d, and count what arrives'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l ws-path -d 'With --framing ws: the path (and query) of the WebSocket URL [default: /]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l preset -d 'A protocol netdemo knows: memcached (--framing memcached, --mode request), so \'set k 0 0 5\\r\\nhello\' and \'get k\' load with --pipeline and nothing more' -r -f -a "dns\t'DNS (udp send): the query ID at offset 0 (2 bytes), replies checked for RCODE NOERROR'
memcached\t'memcached\'s text protocol (tcp connect): --framing memcached in --mode request'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l wait -d 'Keep trying a refused connection until it succeeds or this much time has passed' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l on-eof -d 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]' -r -f -a "shutdown\t'Send FIN (half-close) and keep printing until the peer closes'
keep\t'Keep the connection fully open until the peer closes'
close\t'Close the connection at once'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s w -l idle-timeout -d 'In stdio mode, close the connection when nothing moves either way for this long, like nc -w' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l timeout -d 'Give up on connecting, on any one reply, or on a throughput stream where nothing moves, after this long' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s e -l encoding -d 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\\xff) [default: utf-8]' -r -f -a "utf-8\t''
gbk\t''
gb18030\t''
big5\t''
shift_jis\t''
euc-jp\t''
euc-kr\t''
latin1\t''
utf-16le\t''
utf-16be\t''
hex\t''
base64\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l framing -d 'How messages are delimited on the stream (servers: seed, echo and discard modes; clients: seed, echo and request modes, and load runs) [default: raw]' -r -f -a "raw\t'One read is one message, as in the tutorial'
line\t'Newline-terminated lines; the newline is not part of the message'
length\t'A 4-byte big-endian length prefix, then the message'
resp\t'RESP (Redis): a request written as words is sent as an array of bulk strings; a reply is one complete value of any type'
http\t'HTTP/1.1 (clients): `GET /path` or `POST /path BODY` becomes a request; a reply is one complete response'
memcached\t'memcached\'s text protocol (clients): a request is a line ending in \\r\\n, and a storage command\'s data block (\'set k 0 0 5\\r\\nhello\'); a reply runs to its last line (STORED, END after VALUE blocks, ...)'
ws\t'WebSocket (clients): the upgrade to --ws-path first, then each message one frame (text, or binary when not UTF-8); a reply is one data message'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l delimiter -d 'With --framing line, a received message ends at STRING instead of at a newline (memcached\'s multi-line replies end in \'END\\r\\n\'); \\r, \\n, \\t, \\\\ and \\xNN are understood' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l max-frame -d 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l expect -d 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \\r, \\n, \\t, \\\\ and \\xNN are understood). Repeatable: matched to the messages by position, or one for all' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l expect-regex -d 'In request mode, each reply (as shown) must contain a match for this regular expression' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s c -l connections -d 'Run the conversation on N connections at once' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s d -l duration -d 'Measure for this long [default: 10s, unless -n is given]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s n -l requests -d 'Stop after N attempts in all: requests, and connections or greetings that failed; with --mode send or receive, after N bytes in all (K, M, G)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l rate -d 'Open loop: R requests (or datagrams) per second in all, due on schedule whatever the replies do, latency counted from when each was due; k and M are 1,000 and 1,000,000. A range LOW..HIGH ramps with --ramp, or bounds --find-max-rate [search default: 100..1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l ramp -d 'Ramp linearly from --rate\'s LOW to HIGH over DURATION (the run\'s length)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l stages -d 'Open loop in stages, each DURATION@RATE (a hold) or DURATION@FROM..TO (a ramp), e.g. \'10s@1k,30s@5k..20k,10s@20k..0\'; the report keeps each stage\'s latency' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l slo -d 'The promise for --find-max-rate, bounds joined by commas: p50, p90, p99, p999 or max below a latency (us, ms, s), errors below a share (0.1%) or a count, e.g. \'p99<5ms,errors<0.1%\'' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l step-duration -d 'How long each step of --find-max-rate measures, after a warm-up it discards (--warmup, or 1s) [default: 4s]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l size -d 'Payload size in bytes when no message is given, at most --max-frame (1024 with --framing raw) [default: 16]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l pipeline -d 'Keep up to N requests in flight on each connection, replies matched first in, first out (not with --framing raw) [default: 1]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l warmup -d 'Run this long first, without recording, so connections and caches are warm' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l hist-log -d 'Write the latency as an HdrHistogram interval log to FILE, one histogram a second, for HistogramLogProcessor and other HdrHistogram tools' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l html -d 'Write the run also as a page to FILE, one HTML file that fetches nothing: the latency distribution, latency, rate and errors each second (bits/s with --mode send|receive), and what ran' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l metrics -d 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1) while it runs: requests, errors by kind, the latency histogram and its percentiles' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l interval -d 'Print what completed every DURATION (at least 100ms): a line on stderr, terminal or not (in place of the live line), or an `interval` event with --json' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l threads -d 'Run the connections (or --mode send|receive streams) on N threads [default: every core this process may use]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l shard -d 'Run shard I of N (1/3, 2/3, 3/3): this process takes every N-th request of the whole run\'s schedule; -c, -n and --rate are totals across the shards' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l start-at -d 'Start at this wall-clock time, RFC 3339 (2026-11-25T20:00:00Z), so every shard starts at the same instant (clocks synchronised by NTP)' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l replay-timing -d 'With --replay, send each message no sooner than the capture\'s gap after the first (as well as after the last reply)'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l bidir -d 'With --mode send or receive: both directions at once on every stream, each counted and reported (as iperf3 --bidir), against a server that reads and writes at once: tcp serve --mode source or chargen'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l crlf -d 'With --framing line, end the lines netdemo sends with \\r\\n instead of \\n'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l find-max-rate -d 'Find the highest rate that keeps --slo: steps up from --rate\'s LOW, doubling, then bisects between the last rate that kept the promise and the first that broke it'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l reconnect -d 'Each request on a new connection: connect, greeting, request, reply, close. The report adds connections per second; connect times are apart from request latency'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Accept clients on a Unix-domain socket, as `tcp serve` does on a port'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect to a Unix-domain socket, as `tcp connect` does to a port'
complete -c netdemo -n "__fish_netdemo_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -f -a "serve" -d 'Accept WebSocket clients on any path and echo each message (text as text, binary as binary); pings are answered, close codes returned'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -f -a "connect" -d 'Connect to a WebSocket server: send each message, show each reply; ping; or stdin to the server and its messages to stdout (websocat)'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and not __fish_seen_subcommand_from serve connect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l host -d 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -s p -l port -d 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l max-frame -d 'Largest message accepted; a client that sends more is closed with code 1009. K, M or G (powers of 1024) [default: 1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l grace -d 'On Ctrl-C or SIGTERM, close each client with code 1001 (going away) and give them this long to answer [default: 5s]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l cert -d 'The server\'s certificate chain, PEM, leaf first (with --key)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l key -d 'The private key of --cert, PEM (PKCS#8, PKCS#1 or SEC1)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l client-ca -d 'Require a client certificate signed by a CA in this PEM file' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l alpn -d 'An application protocol this server speaks (ALPN), e.g. h2 or http/1.1; repeatable, in order of preference. Clients that offer only other protocols are refused; clients that offer none are served' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l keylog -d 'Append the TLS secrets of each connection to FILE in the NSS key log format, so Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l tls -d 'Speak TLS: each client\'s handshake comes first. Without --cert, a throwaway self-signed certificate is made at start and its SHA-256 fingerprint printed'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l mode -d 'What to do once the WebSocket is open' -r -f -a "echo\t'Send each message, expect it back unchanged'
request\t'Send each message, show the one reply that comes, check it against --expect'
ping\t'Send -n pings, time each pong'
stdio\t'Stdin lines as text messages to the server, its messages to stdout, one per line'"
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l path -d 'The path (and query) of the WebSocket URL [default: /]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -s n -l count -d 'With --mode ping: how many pings [default: 4]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l close-code -d 'Close with this code at the end (1000 normal, 1001 going away, 3000-4999 an application\'s own) [default: 1000]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l timeout -d 'Give up on connecting, or on any one reply or pong, after this long' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l max-frame -d 'Largest message accepted from the server. K, M or G [default: 1M]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l expect -d 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \\r, \\n, \\t, \\\\ and \\xNN are understood). Repeatable: matched to the messages by position, or one for all' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l expect-regex -d 'In request mode, each reply (as shown) must contain a match for this regular expression' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l host -d 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -s p -l port -d 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l proxy -d 'Reach the target through a proxy: socks5://[USER:PASS@]HOST[:PORT] (SOCKS5; a target name is resolved by the proxy, as socks5h) or http://[USER:PASS@]HOST[:PORT] (an HTTP proxy\'s CONNECT) [default ports: 1080, 3128]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l source -d 'Send from this local address, and port if given: ADDR, ADDR:PORT, [V6]:PORT or :PORT (as nc -s and -p); a fixed port allows one connection at a time' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l cacert -d 'Trust the CAs in this PEM file instead of the system\'s' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l pin -d 'Trust exactly the certificate with this SHA-256 fingerprint, as a netdemo server prints it (sha256:AB:CD:..., colons optional), and no other' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l sni -d 'The server name to ask for (SNI) and to verify [default: the host given; none for an IP address]' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l alpn -d 'An application protocol to offer (ALPN), e.g. h2 or http/1.1; repeatable' -r
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l keylog -d 'Append the TLS secrets of each connection to FILE in the NSS key log format, so Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l cert -d 'A client certificate chain, PEM, for servers that ask for one (with --key)' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l key -d 'The private key of --cert, PEM' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l tls-resume -d 'Resume TLS sessions on later connections to the same server (a short handshake with no certificate), as browsers, curl and openssl do; off makes every handshake a full one [default: on]' -r -f -a "on\t''
off\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l binary -d 'Send binary messages instead of text'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l tls -d 'Speak TLS. The server\'s certificate is verified against the system\'s CAs and the host name, unless --cacert, --pin or --insecure say otherwise'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l insecure -d 'Do not verify the server\'s certificate at all (says so on stderr)'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Accept WebSocket clients on any path and echo each message (text as text, binary as binary); pings are answered, close codes returned'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect to a WebSocket server: send each message, show each reply; ping; or stdin to the server and its messages to stdout (websocat)'
complete -c netdemo -n "__fish_netdemo_using_subcommand ws; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -l html -d 'Write the report also as a page to FILE: the latency distribution, latency, rate and errors each second, and what ran, in one HTML file that fetches nothing' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand merge" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -s x -l hex-dump -d 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -l pcap -d 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen' -r -F
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -l lang -d 'Language of --explain: en, or zh for the tutorial\'s Chinese step names' -r -f -a "en\t'English'
zh\t'中文 (the tutorial\'s step names)'"
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -l color -d 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -s q -l quiet -d 'Print only peer data, errors and the `listening on` line'
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -s v -l verbose -d 'Print more detail (-vv for even more); errors get a full report'
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -l json -d 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -l pcap-secrets -d 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic'
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -l explain -d 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial\'s terms, with the real values'
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c netdemo -n "__fish_netdemo_using_subcommand completions" -s V -l version -d 'Print version'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and not __fish_seen_subcommand_from tcp udp unix ws merge completions help" -f -a "tcp" -d 'TCP server and client'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and not __fish_seen_subcommand_from tcp udp unix ws merge completions help" -f -a "udp" -d 'UDP server and sender'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and not __fish_seen_subcommand_from tcp udp unix ws merge completions help" -f -a "unix" -d 'Unix-domain stream socket server and client (every mode and framing of tcp)'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and not __fish_seen_subcommand_from tcp udp unix ws merge completions help" -f -a "ws" -d 'WebSocket server and client (RFC 6455), wss:// with --tls'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and not __fish_seen_subcommand_from tcp udp unix ws merge completions help" -f -a "merge" -d 'Add up the JSON reports of load runs (shards on several machines): histograms added, never percentiles averaged'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and not __fish_seen_subcommand_from tcp udp unix ws merge completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and not __fish_seen_subcommand_from tcp udp unix ws merge completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from tcp" -f -a "serve" -d 'Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from tcp" -f -a "connect" -d 'Connect, show the greeting, send each message and show its reply, then send `exit`'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from tcp" -f -a "relay" -d 'Accept clients and relay each one\'s bytes to --to and back, with faults if asked'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from udp" -f -a "serve" -d 'Answer each datagram with `Hello, DATA`'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from udp" -f -a "send" -d 'Send each argument as one datagram and show each reply'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from udp" -f -a "relay" -d 'Relay each client\'s datagrams to --to and the replies back, with faults if asked'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from unix" -f -a "serve" -d 'Accept clients on a Unix-domain socket, as `tcp serve` does on a port'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from unix" -f -a "connect" -d 'Connect to a Unix-domain socket, as `tcp connect` does to a port'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from ws" -f -a "serve" -d 'Accept WebSocket clients on any path and echo each message (text as text, binary as binary); pings are answered, close codes returned'
complete -c netdemo -n "__fish_netdemo_using_subcommand help; and __fish_seen_subcommand_from ws" -f -a "connect" -d 'Connect to a WebSocket server: send each message, show each reply; ping; or stdin to the server and its messages to stdout (websocat)'
