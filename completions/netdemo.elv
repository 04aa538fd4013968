
use builtin;
use str;

set edit:completion:arg-completer[netdemo] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'netdemo'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'netdemo'= {
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand tcp 'TCP server and client'
            cand udp 'UDP server and sender'
            cand unix 'Unix-domain stream socket server and client (every mode and framing of tcp)'
            cand merge 'Add up the JSON reports of load runs (shards on several machines): histograms added, never percentiles averaged'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'netdemo;tcp'= {
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`'
            cand connect 'Connect, show the greeting, send each message and show its reply, then send `exit`'
            cand relay 'Accept clients and relay each one''s bytes to --to and back, with faults if asked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'netdemo;tcp;serve'= {
            cand --mode 'What clients get'
            cand --delay 'Wait this long before each reply in seed mode (the tutorial waits 1s), e.g. 250ms'
            cand --max-connections 'Serve at most N clients at once; more wait, connected but not greeted, until one leaves'
            cand --max-buffered 'Bytes of partial messages held across all connections, beyond 64K each; a client whose message would go over is disconnected. K, M or G suffixes [default: 64M]'
            cand -w 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w'
            cand --idle-timeout 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w'
            cand --on-eof 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]'
            cand --grace 'On Ctrl-C or SIGTERM, give clients this long to finish the message in hand before closing them; a second signal exits at once [default: 5s]'
            cand -e 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand --encoding 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand --framing 'How messages are delimited on the stream (seed, echo and discard modes; load runs) [default: raw]'
            cand --delimiter 'With --framing line, a received message ends at STRING instead of at a newline (memcached''s multi-line replies end in ''END\r\n''); \r, \n, \t, \\ and \xNN are understood'
            cand --max-frame 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]'
            cand --allow 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)'
            cand --deny 'Never talk to peers in this range; repeatable; wins over --allow'
            cand --host 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]'
            cand -p 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand --port 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand --cert 'The server''s certificate chain, PEM, leaf first (with --key)'
            cand --key 'The private key of --cert, PEM (PKCS#8, PKCS#1 or SEC1)'
            cand --client-ca 'Require a client certificate signed by a CA in this PEM file'
            cand --alpn 'An application protocol this server speaks (ALPN), e.g. h2 or http/1.1; repeatable, in order of preference. Clients that offer only other protocols are refused; clients that offer none are served'
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -k 'In stdio mode, serve one client after another instead of exiting after the first'
            cand --keep-open 'In stdio mode, serve one client after another instead of exiting after the first'
            cand --stats 'Print connections, messages and bytes per second on stderr once a second'
            cand --crlf 'With --framing line, end the lines netdemo sends with \r\n instead of \n'
            cand -4 'Use IPv4 addresses only'
            cand --ipv4 'Use IPv4 addresses only'
            cand -6 'Use IPv6 addresses only'
            cand --ipv6 'Use IPv6 addresses only'
            cand --tls 'Speak TLS: each client''s handshake comes first. Without --cert, a throwaway self-signed certificate is made at start and its SHA-256 fingerprint printed'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'netdemo;tcp;connect'= {
            cand --mode 'What to do once connected'
            cand --wait 'Keep trying a refused connection until it succeeds or this much time has passed'
            cand --on-eof 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]'
            cand -w 'In stdio mode, close the connection when nothing moves either way for this long, like nc -w'
            cand --idle-timeout 'In stdio mode, close the connection when nothing moves either way for this long, like nc -w'
            cand --timeout 'Give up on connecting, or on any one reply, after this long'
            cand --host 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]'
            cand -p 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand --port 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand -e 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand --encoding 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand --framing 'How messages are delimited on the stream (seed, echo and discard modes; load runs) [default: raw]'
            cand --delimiter 'With --framing line, a received message ends at STRING instead of at a newline (memcached''s multi-line replies end in ''END\r\n''); \r, \n, \t, \\ and \xNN are understood'
            cand --max-frame 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]'
            cand --expect 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \r, \n, \t, \\ and \xNN are understood). Repeatable: matched to the messages by position, or one for all'
            cand --expect-regex 'In request mode, each reply (as shown) must contain a match for this regular expression'
            cand -c 'Run the conversation on N connections at once'
            cand --connections 'Run the conversation on N connections at once'
            cand -d 'Measure for this long [default: 10s, unless -n is given]'
            cand --duration 'Measure for this long [default: 10s, unless -n is given]'
            cand -n 'Stop after N attempts in all: requests, and connections or greetings that failed; with --mode send or receive, after N bytes in all (K, M, G)'
            cand --requests 'Stop after N attempts in all: requests, and connections or greetings that failed; with --mode send or receive, after N bytes in all (K, M, G)'
            cand --rate 'Open loop: R requests per second in all, due on schedule whatever the replies do'
            cand --size 'Payload size in bytes when no message is given, at most --max-frame (1024 with --framing raw) [default: 16]'
            cand --pipeline 'Keep up to N requests in flight on each connection, replies matched first in, first out (not with --framing raw) [default: 1]'
            cand --warmup 'Run this long first, without recording, so connections and caches are warm'
            cand --hist-log 'Write the latency as an HdrHistogram interval log to FILE, one histogram a second, for HistogramLogProcessor and other HdrHistogram tools'
            cand --shard 'Run shard I of N (1/3, 2/3, 3/3): this process takes every N-th request of the whole run''s schedule; -c, -n and --rate are totals across the shards'
            cand --start-at 'Start at this wall-clock time, RFC 3339 (2026-11-25T20:00:00Z), so every shard starts at the same instant (clocks synchronised by NTP)'
            cand --cacert 'Trust the CAs in this PEM file instead of the system''s'
            cand --pin 'Trust exactly the certificate with this SHA-256 fingerprint, as a netdemo server prints it (sha256:AB:CD:..., colons optional), and no other'
            cand --sni 'The server name to ask for (SNI) and to verify [default: the host given; none for an IP address]'
            cand --alpn 'An application protocol to offer (ALPN), e.g. h2 or http/1.1; repeatable'
            cand --cert 'A client certificate chain, PEM, for servers that ask for one (with --key)'
            cand --key 'The private key of --cert, PEM'
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -z 'Only report whether something listens and how long connecting took; send nothing. Succeeds if any port is open'
            cand --zero-io 'Only report whether something listens and how long connecting took; send nothing. Succeeds if any port is open'
            cand -4 'Use IPv4 addresses only'
            cand --ipv4 'Use IPv4 addresses only'
            cand -6 'Use IPv6 addresses only'
            cand --ipv6 'Use IPv6 addresses only'
            cand --crlf 'With --framing line, end the lines netdemo sends with \r\n instead of \n'
            cand --reconnect 'Each request on a new connection: connect, greeting, request, reply, close. The report adds connections per second; connect times are apart from request latency'
            cand --tls 'Speak TLS. The server''s certificate is verified against the system''s CAs and the host name, unless --cacert, --pin or --insecure say otherwise'
            cand --insecure 'Do not verify the server''s certificate at all (says so on stderr)'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'netdemo;tcp;relay'= {
            cand --to 'The server to relay to, as HOST:PORT ([::1]:PORT for IPv6)'
            cand --timeout 'Give up connecting to --to after this long [default: 10s]'
            cand --bandwidth 'Forward at most this many bytes per second each way, e.g. 64K or 1M (K, M, G)'
            cand --slice 'Forward in pieces of at most this many bytes, each written on its own'
            cand --reset-after 'Reset both connections (RST) once this many bytes went one way'
            cand --close-after 'Close both connections (FIN) once this many bytes went one way'
            cand --latency 'Delay everything by this long, e.g. 100ms (TCP keeps the order)'
            cand --jitter 'Add a random delay of up to this long on top of --latency, drawn per chunk or datagram'
            cand --direction 'Which way faults apply: up (client to server), down (server to client) or both'
            cand --seed 'Seed of the random choices (jitter, loss, duplication, reordering), so a run can be repeated exactly [default: a new one each run, printed at start]'
            cand --max-connections 'Relay at most N clients at once; more wait until one leaves'
            cand --grace 'On Ctrl-C or SIGTERM, give relayed connections this long to finish [default: 5s]'
            cand --allow 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)'
            cand --deny 'Never talk to peers in this range; repeatable; wins over --allow'
            cand --host 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]'
            cand -p 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand --port 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --stats 'Print connections and bytes per second each way on stderr once a second'
            cand -4 'Use IPv4 addresses only'
            cand --ipv4 'Use IPv4 addresses only'
            cand -6 'Use IPv6 addresses only'
            cand --ipv6 'Use IPv6 addresses only'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'netdemo;tcp;help'= {
            cand serve 'Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`'
            cand connect 'Connect, show the greeting, send each message and show its reply, then send `exit`'
            cand relay 'Accept clients and relay each one''s bytes to --to and back, with faults if asked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'netdemo;tcp;help;serve'= {
        }
        &'netdemo;tcp;help;connect'= {
        }
        &'netdemo;tcp;help;relay'= {
        }
        &'netdemo;tcp;help;help'= {
        }
        &'netdemo;udp'= {
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Answer each datagram with `Hello, DATA`'
            cand send 'Send each argument as one datagram and show each reply'
            cand relay 'Relay each client''s datagrams to --to and the replies back, with faults if asked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'netdemo;udp;serve'= {
            cand --mode 'What senders get'
            cand --framing 'In stdio mode, how stdin becomes datagrams and datagrams are printed [default: line]'
            cand --allow 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)'
            cand --deny 'Never talk to peers in this range; repeatable; wins over --allow'
            cand --host 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]'
            cand -p 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand --port 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand -e 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand --encoding 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --stats 'Print datagrams and bytes per second on stderr once a second'
            cand --allow-amplification 'Answer with more bytes than a datagram brought (chargen, the seed protocol''s `Hello, `) even when other machines can reach the server. Off, such a server sends no larger reply: with spoofed senders it would flood a third party (reflection)'
            cand -4 'Use IPv4 addresses only'
            cand --ipv4 'Use IPv4 addresses only'
            cand -6 'Use IPv6 addresses only'
            cand --ipv6 'Use IPv6 addresses only'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'netdemo;udp;send'= {
            cand --mode 'What to send: the arguments (seed, echo, request), or stdin (stdio)'
            cand --framing 'In stdio mode, how stdin becomes datagrams and datagrams are printed [default: line]'
            cand --timeout 'Wait this long for each reply before sending again; in stdio mode, how long to wait for replies after stdin ends'
            cand --retries 'Send a datagram again this many times when no reply comes, at most 100 [default: 2]'
            cand --expect 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \r, \n, \t, \\ and \xNN are understood). Repeatable: matched to the messages by position, or one for all'
            cand --expect-regex 'In request mode, each reply (as shown) must contain a match for this regular expression'
            cand -n 'Send N numbered datagrams'
            cand --count 'Send N numbered datagrams'
            cand -d 'Send for this long [default: 10s, unless -n is given]'
            cand --duration 'Send for this long [default: 10s, unless -n is given]'
            cand --rate 'Open loop: R datagrams per second; without it, one at a time'
            cand --size 'Datagram size in bytes, at least 16 [default: 64]'
            cand --shard 'Run shard I of N (1/3, 2/3, 3/3): this process takes every N-th request of the whole run''s schedule; -c, -n and --rate are totals across the shards'
            cand --start-at 'Start at this wall-clock time, RFC 3339 (2026-11-25T20:00:00Z), so every shard starts at the same instant (clocks synchronised by NTP)'
            cand --host 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]'
            cand -p 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand --port 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand -e 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand --encoding 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -4 'Use IPv4 addresses only'
            cand --ipv4 'Use IPv4 addresses only'
            cand -6 'Use IPv6 addresses only'
            cand --ipv6 'Use IPv6 addresses only'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'netdemo;udp;relay'= {
            cand --to 'The server to relay to, as HOST:PORT ([::1]:PORT for IPv6)'
            cand --loss 'Drop this share of datagrams, written 10% or 10'
            cand --duplicate 'Send this share of datagrams twice'
            cand --reorder 'Hold this share of datagrams back until the next one has gone (or 50ms passed)'
            cand --latency 'Delay everything by this long, e.g. 100ms (TCP keeps the order)'
            cand --jitter 'Add a random delay of up to this long on top of --latency, drawn per chunk or datagram'
            cand --direction 'Which way faults apply: up (client to server), down (server to client) or both'
            cand --seed 'Seed of the random choices (jitter, loss, duplication, reordering), so a run can be repeated exactly [default: a new one each run, printed at start]'
            cand -w 'End a client''s session (its upstream socket) after this long without a datagram either way [default: 60s]'
            cand --idle-timeout 'End a client''s session (its upstream socket) after this long without a datagram either way [default: 60s]'
            cand --allow 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)'
            cand --deny 'Never talk to peers in this range; repeatable; wins over --allow'
            cand --host 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]'
            cand -p 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand --port 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]'
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --stats 'Print datagrams and bytes per second on stderr once a second'
            cand -4 'Use IPv4 addresses only'
            cand --ipv4 'Use IPv4 addresses only'
            cand -6 'Use IPv6 addresses only'
            cand --ipv6 'Use IPv6 addresses only'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'netdemo;udp;help'= {
            cand serve 'Answer each datagram with `Hello, DATA`'
            cand send 'Send each argument as one datagram and show each reply'
            cand relay 'Relay each client''s datagrams to --to and the replies back, with faults if asked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'netdemo;udp;help;serve'= {
        }
        &'netdemo;udp;help;send'= {
        }
        &'netdemo;udp;help;relay'= {
        }
        &'netdemo;udp;help;help'= {
        }
        &'netdemo;unix'= {
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Accept clients on a Unix-domain socket, as `tcp serve` does on a port'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'netdemo;unix;serve'= {
            cand --path 'The socket to listen on: a file path, or @NAME for a Linux abstract name (no file). A stale socket file left by a server that is gone is replaced; the file is removed when the server stops'
            cand --socket-mode 'Permissions of the socket file, in octal as chmod takes them (0600: only this user may connect), set before any client can connect [default: from the umask]'
            cand --mode 'What clients get'
            cand --delay 'Wait this long before each reply in seed mode (the tutorial waits 1s), e.g. 250ms'
            cand --max-connections 'Serve at most N clients at once; more wait, connected but not greeted, until one leaves'
            cand --max-buffered 'Bytes of partial messages held across all connections, beyond 64K each; a client whose message would go over is disconnected. K, M or G suffixes [default: 64M]'
            cand -w 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w'
            cand --idle-timeout 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w'
            cand --on-eof 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]'
            cand --grace 'On Ctrl-C or SIGTERM, give clients this long to finish the message in hand before closing them; a second signal exits at once [default: 5s]'
            cand -e 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand --encoding 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]'
            cand --framing 'How messages are delimited on the stream (seed, echo and discard modes; load runs) [default: raw]'
            cand --delimiter 'With --framing line, a received message ends at STRING instead of at a newline (memcached''s multi-line replies end in ''END\r\n''); \r, \n, \t, \\ and \xNN are understood'
            cand --max-frame 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]'
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -k 'In stdio mode, serve one client after another instead of exiting after the first'
            cand --keep-open 'In stdio mode, serve one client after another instead of exiting after the first'
            cand --stats 'Print connections, messages and bytes per second on stderr once a second'
            cand --crlf 'With --framing line, end the lines netdemo sends with \r\n instead of \n'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'netdemo;unix;help'= {
            cand serve 'Accept clients on a Unix-domain socket, as `tcp serve` does on a port'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'netdemo;unix;help;serve'= {
        }
        &'netdemo;unix;help;help'= {
        }
        &'netdemo;merge'= {
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'netdemo;completions'= {
            cand -x 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --hex-dump 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead'
            cand --lang 'Language of --explain: en, or zh for the tutorial''s Chinese step names'
            cand --color 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only peer data, errors and the `listening on` line'
            cand --quiet 'Print only peer data, errors and the `listening on` line'
            cand -v 'Print more detail (-vv for even more); errors get a full report'
            cand --verbose 'Print more detail (-vv for even more); errors get a full report'
            cand --json 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text'
            cand --explain 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'netdemo;help'= {
            cand tcp 'TCP server and client'
            cand udp 'UDP server and sender'
            cand unix 'Unix-domain stream socket server and client (every mode and framing of tcp)'
            cand merge 'Add up the JSON reports of load runs (shards on several machines): histograms added, never percentiles averaged'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'netdemo;help;tcp'= {
            cand serve 'Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`'
            cand connect 'Connect, show the greeting, send each message and show its reply, then send `exit`'
            cand relay 'Accept clients and relay each one''s bytes to --to and back, with faults if asked'
        }
        &'netdemo;help;tcp;serve'= {
        }
        &'netdemo;help;tcp;connect'= {
        }
        &'netdemo;help;tcp;relay'= {
        }
        &'netdemo;help;udp'= {
            cand serve 'Answer each datagram with `Hello, DATA`'
            cand send 'Send each argument as one datagram and show each reply'
            cand relay 'Relay each client''s datagrams to --to and the replies back, with faults if asked'
        }
        &'netdemo;help;udp;serve'= {
        }
        &'netdemo;help;udp;send'= {
        }
        &'netdemo;help;udp;relay'= {
        }
        &'netdemo;help;unix'= {
            cand serve 'Accept clients on a Unix-domain socket, as `tcp serve` does on a port'
        }
        &'netdemo;help;unix;serve'= {
        }
        &'netdemo;help;merge'= {
        }
        &'netdemo;help;completions'= {
        }
        &'netdemo;help;help'= {
        }
    ]
    $completions[$command]
}
