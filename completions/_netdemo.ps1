
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'netdemo' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'netdemo'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'netdemo' {
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('tcp', 'tcp', [CompletionResultType]::ParameterValue, 'TCP server and client')
            [CompletionResult]::new('udp', 'udp', [CompletionResultType]::ParameterValue, 'UDP server and sender')
            [CompletionResult]::new('unix', 'unix', [CompletionResultType]::ParameterValue, 'Unix-domain stream socket server and client (every mode and framing of tcp)')
            [CompletionResult]::new('ws', 'ws', [CompletionResultType]::ParameterValue, 'WebSocket server and client (RFC 6455), wss:// with --tls')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Add up the JSON reports of load runs (shards on several machines): histograms added, never percentiles averaged')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;tcp' {
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect, show the greeting, send each message and show its reply, then send `exit`')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Accept clients and relay each one''s bytes to --to and back, with faults if asked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;tcp;serve' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'What clients get')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'Wait this long before each reply in seed mode (the tutorial waits 1s), e.g. 250ms')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Serve at most N clients at once; more wait, connected but not greeted, until one leaves')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs')
            [CompletionResult]::new('--max-buffered', '--max-buffered', [CompletionResultType]::ParameterName, 'Bytes of partial messages held across all connections, beyond 64K each; a client whose message would go over is disconnected. K, M or G suffixes [default: 64M]')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w')
            [CompletionResult]::new('--on-eof', '--on-eof', [CompletionResultType]::ParameterName, 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'On Ctrl-C or SIGTERM, give clients this long to finish the message in hand before closing them; a second signal exits at once [default: 5s]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Run connections on N threads, each with a runtime of its own [default: every core this process may use]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'How messages are delimited on the stream (servers: seed, echo and discard modes; clients: seed, echo and request modes, and load runs) [default: raw]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'With --framing line, a received message ends at STRING instead of at a newline (memcached''s multi-line replies end in ''END\r\n''); \r, \n, \t, \\ and \xNN are understood')
            [CompletionResult]::new('--max-frame', '--max-frame', [CompletionResultType]::ParameterName, 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Never talk to peers in this range; repeatable; wins over --allow')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The server''s certificate chain, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key of --cert, PEM (PKCS#8, PKCS#1 or SEC1)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require a client certificate signed by a CA in this PEM file')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'An application protocol this server speaks (ALPN), e.g. h2 or http/1.1; repeatable, in order of preference. Clients that offer only other protocols are refused; clients that offer none are served')
            [CompletionResult]::new('--keylog', '--keylog', [CompletionResultType]::ParameterName, 'Append the TLS secrets of each connection to FILE in the NSS key log format, so Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'In stdio mode, serve one client after another instead of exiting after the first')
            [CompletionResult]::new('--keep-open', '--keep-open', [CompletionResultType]::ParameterName, 'In stdio mode, serve one client after another instead of exiting after the first')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print connections, messages and bytes per second on stderr once a second')
            [CompletionResult]::new('--crlf', '--crlf', [CompletionResultType]::ParameterName, 'With --framing line, end the lines netdemo sends with \r\n instead of \n')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('--ipv4', '--ipv4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS: each client''s handshake comes first. Without --cert, a throwaway self-signed certificate is made at start and its SHA-256 fingerprint printed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;tcp;connect' {
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Send what the client of the first TCP stream in a pcap or pcapng capture sent (netdemo''s --pcap, tcpdump''s, Wireshark''s), split into messages by --framing; with --mode request and load flags, they are the requests')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'What to do once connected')
            [CompletionResult]::new('--ws-path', '--ws-path', [CompletionResultType]::ParameterName, 'With --framing ws: the path (and query) of the WebSocket URL [default: /]')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A protocol netdemo knows: memcached (--framing memcached, --mode request), so ''set k 0 0 5\r\nhello'' and ''get k'' load with --pipeline and nothing more')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Keep trying a refused connection until it succeeds or this much time has passed')
            [CompletionResult]::new('--on-eof', '--on-eof', [CompletionResultType]::ParameterName, 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'In stdio mode, close the connection when nothing moves either way for this long, like nc -w')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'In stdio mode, close the connection when nothing moves either way for this long, like nc -w')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on connecting, on any one reply, or on a throughput stream where nothing moves, after this long')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'How messages are delimited on the stream (servers: seed, echo and discard modes; clients: seed, echo and request modes, and load runs) [default: raw]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'With --framing line, a received message ends at STRING instead of at a newline (memcached''s multi-line replies end in ''END\r\n''); \r, \n, \t, \\ and \xNN are understood')
            [CompletionResult]::new('--max-frame', '--max-frame', [CompletionResultType]::ParameterName, 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \r, \n, \t, \\ and \xNN are understood). Repeatable: matched to the messages by position, or one for all')
            [CompletionResult]::new('--expect-regex', '--expect-regex', [CompletionResultType]::ParameterName, 'In request mode, each reply (as shown) must contain a match for this regular expression')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Run the conversation on N connections at once')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Run the conversation on N connections at once')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Measure for this long [default: 10s, unless -n is given]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Measure for this long [default: 10s, unless -n is given]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after N attempts in all: requests, and connections or greetings that failed; with --mode send or receive, after N bytes in all (K, M, G)')
            [CompletionResult]::new('--requests', '--requests', [CompletionResultType]::ParameterName, 'Stop after N attempts in all: requests, and connections or greetings that failed; with --mode send or receive, after N bytes in all (K, M, G)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Open loop: R requests (or datagrams) per second in all, due on schedule whatever the replies do, latency counted from when each was due; k and M are 1,000 and 1,000,000. A range LOW..HIGH ramps with --ramp, or bounds --find-max-rate [search default: 100..1M]')
            [CompletionResult]::new('--ramp', '--ramp', [CompletionResultType]::ParameterName, 'Ramp linearly from --rate''s LOW to HIGH over DURATION (the run''s length)')
            [CompletionResult]::new('--stages', '--stages', [CompletionResultType]::ParameterName, 'Open loop in stages, each DURATION@RATE (a hold) or DURATION@FROM..TO (a ramp), e.g. ''10s@1k,30s@5k..20k,10s@20k..0''; the report keeps each stage''s latency')
            [CompletionResult]::new('--slo', '--slo', [CompletionResultType]::ParameterName, 'The promise for --find-max-rate, bounds joined by commas: p50, p90, p99, p999 or max below a latency (us, ms, s), errors below a share (0.1%) or a count, e.g. ''p99<5ms,errors<0.1%''')
            [CompletionResult]::new('--step-duration', '--step-duration', [CompletionResultType]::ParameterName, 'How long each step of --find-max-rate measures, after a warm-up it discards (--warmup, or 1s) [default: 4s]')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Payload size in bytes when no message is given, at most --max-frame (1024 with --framing raw) [default: 16]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Keep up to N requests in flight on each connection, replies matched first in, first out (not with --framing raw) [default: 1]')
            [CompletionResult]::new('--warmup', '--warmup', [CompletionResultType]::ParameterName, 'Run this long first, without recording, so connections and caches are warm')
            [CompletionResult]::new('--hist-log', '--hist-log', [CompletionResultType]::ParameterName, 'Write the latency as an HdrHistogram interval log to FILE, one histogram a second, for HistogramLogProcessor and other HdrHistogram tools')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Write the run also as a page to FILE, one HTML file that fetches nothing: the latency distribution, latency, rate and errors each second (bits/s with --mode send|receive), and what ran')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1) while it runs: requests, errors by kind, the latency histogram and its percentiles')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Print what completed every DURATION (at least 100ms): a line on stderr, terminal or not (in place of the live line), or an `interval` event with --json')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Run the connections (or --mode send|receive streams) on N threads [default: every core this process may use]')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Run shard I of N (1/3, 2/3, 3/3): this process takes every N-th request of the whole run''s schedule; -c, -n and --rate are totals across the shards')
            [CompletionResult]::new('--start-at', '--start-at', [CompletionResultType]::ParameterName, 'Start at this wall-clock time, RFC 3339 (2026-11-25T20:00:00Z), so every shard starts at the same instant (clocks synchronised by NTP)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the target through a proxy: socks5://[USER:PASS@]HOST[:PORT] (SOCKS5; a target name is resolved by the proxy, as socks5h) or http://[USER:PASS@]HOST[:PORT] (an HTTP proxy''s CONNECT) [default ports: 1080, 3128]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Send from this local address, and port if given: ADDR, ADDR:PORT, [V6]:PORT or :PORT (as nc -s and -p); a fixed port allows one connection at a time')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CAs in this PEM file instead of the system''s')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Trust exactly the certificate with this SHA-256 fingerprint, as a netdemo server prints it (sha256:AB:CD:..., colons optional), and no other')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'The server name to ask for (SNI) and to verify [default: the host given; none for an IP address]')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'An application protocol to offer (ALPN), e.g. h2 or http/1.1; repeatable')
            [CompletionResult]::new('--keylog', '--keylog', [CompletionResultType]::ParameterName, 'Append the TLS secrets of each connection to FILE in the NSS key log format, so Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'A client certificate chain, PEM, for servers that ask for one (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key of --cert, PEM')
            [CompletionResult]::new('--tls-resume', '--tls-resume', [CompletionResultType]::ParameterName, 'Resume TLS sessions on later connections to the same server (a short handshake with no certificate), as browsers, curl and openssl do; off makes every handshake a full one [default: on]')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--replay-timing', '--replay-timing', [CompletionResultType]::ParameterName, 'With --replay, send each message no sooner than the capture''s gap after the first (as well as after the last reply)')
            [CompletionResult]::new('--bidir', '--bidir', [CompletionResultType]::ParameterName, 'With --mode send or receive: both directions at once on every stream, each counted and reported (as iperf3 --bidir), against a server that reads and writes at once: tcp serve --mode source or chargen')
            [CompletionResult]::new('--crlf', '--crlf', [CompletionResultType]::ParameterName, 'With --framing line, end the lines netdemo sends with \r\n instead of \n')
            [CompletionResult]::new('--find-max-rate', '--find-max-rate', [CompletionResultType]::ParameterName, 'Find the highest rate that keeps --slo: steps up from --rate''s LOW, doubling, then bisects between the last rate that kept the promise and the first that broke it')
            [CompletionResult]::new('--reconnect', '--reconnect', [CompletionResultType]::ParameterName, 'Each request on a new connection: connect, greeting, request, reply, close. The report adds connections per second; connect times are apart from request latency')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'Only report whether something listens and how long connecting took; send nothing. Succeeds if any port is open')
            [CompletionResult]::new('--zero-io', '--zero-io', [CompletionResultType]::ParameterName, 'Only report whether something listens and how long connecting took; send nothing. Succeeds if any port is open')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('--ipv4', '--ipv4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS. The server''s certificate is verified against the system''s CAs and the host name, unless --cacert, --pin or --insecure say otherwise')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s certificate at all (says so on stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;tcp;relay' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The server to relay to, as HOST:PORT ([::1]:PORT for IPv6). Without it, relays are made through --api')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Serve an HTTP API compatible with toxiproxy 2.12 on ADDR (a port binds 127.0.0.1; toxiproxy''s own is 8474): its clients make relays and add, change and remove faults (toxics) while connections run. The relay of --to is the proxy `default`')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'Change the faults of the relay over time, e.g. ''10s:latency=200ms;30s:reset; 45s:clear'': at each time from the start, each fault named replaces the one of its kind (in the directions of --direction), `clear` removes them all. Faults: latency, jitter, timeout[=DURATION], reset[=DURATION], and for tcp bandwidth, slice, reset-after, close-after, slow-close (and fail, hold with --framing); for udp loss, duplicate, reorder')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Connect to the target from this local address (its port is the system''s choice)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up connecting to --to after this long [default: 10s]')
            [CompletionResult]::new('--bandwidth', '--bandwidth', [CompletionResultType]::ParameterName, 'Forward at most this many bytes per second each way, e.g. 64K or 1M (K, M, G)')
            [CompletionResult]::new('--slice', '--slice', [CompletionResultType]::ParameterName, 'Forward in pieces of at most this many bytes, each written on its own')
            [CompletionResult]::new('--reset-after', '--reset-after', [CompletionResultType]::ParameterName, 'Reset both connections (RST) once this many bytes went one way')
            [CompletionResult]::new('--close-after', '--close-after', [CompletionResultType]::ParameterName, 'Close both connections (FIN) once this many bytes went one way')
            [CompletionResult]::new('--drop-chunks', '--drop-chunks', [CompletionResultType]::ParameterName, 'Drop this share of chunks, e.g. 5%: TCP does not send them again, so the stream breaks (bytes missing from its middle), which is what this tests')
            [CompletionResult]::new('--corrupt', '--corrupt', [CompletionResultType]::ParameterName, 'Flip one byte in this share of chunks, e.g. 1%')
            [CompletionResult]::new('--blackhole', '--blackhole', [CompletionResultType]::ParameterName, 'Let nothing through on this share of connections, e.g. 10%: their requests never reach the target, and the client waits')
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Delay everything by this long, e.g. 100ms (TCP keeps the order)')
            [CompletionResult]::new('--jitter', '--jitter', [CompletionResultType]::ParameterName, 'Add a random delay of up to this long on top of --latency, drawn per chunk or datagram')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which way faults apply: down (server to client, as toxiproxy''s default), up (client to server) or both (each way: --latency 100ms then adds 200 ms to a request and its reply). Down, a fault''s figure is what a request/reply feels: --latency 100ms adds 100 ms, --loss 20% fails 20% of queries. The relay says which faults are in force, and which way, at start and on every change')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the random choices (jitter, loss, duplication, reordering), so a run can be repeated exactly [default: a new one each run, printed at start]')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'Read requests and replies as this framing, for --fail-requests and --hold-requests (and the toxics fail_requests, hold_requests through --api or --schedule)')
            [CompletionResult]::new('--fail-requests', '--fail-requests', [CompletionResultType]::ParameterName, 'Answer every Nth request (3) or a share of them (10%) with the relay''s own failure, in the framing: HTTP 503, a RESP error, a line, a length-prefixed frame. Such a request never reaches the target')
            [CompletionResult]::new('--hold-requests', '--hold-requests', [CompletionResultType]::ParameterName, 'Pass every Nth request (3) or a share of them (10%) on, but keep back its reply and every reply after it on that connection, as a server that stalls: the client''s timeout is what is tested')
            [CompletionResult]::new('--fail-reply', '--fail-reply', [CompletionResultType]::ParameterName, 'The text of the relay''s own failure [default: netdemo relay: injected failure]')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Relay at most N clients at once; more wait, accepted, until one leaves, and a line a second says how many wait [default: 10000]')
            [CompletionResult]::new('--max-buffered', '--max-buffered', [CompletionResultType]::ParameterName, 'Bytes waiting to leave (--latency, --jitter, --bandwidth, --slice) across all connections; once reached the relay stops reading from either side until some have gone, so senders slow down instead of its memory growing. K, M or G suffixes [default: 64M]')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'On Ctrl-C or SIGTERM, give relayed connections this long to finish [default: 5s]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Relay on N threads [default: every core this process may use]')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Never talk to peers in this range; repeatable; wins over --allow')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print connections and bytes per second each way on stderr once a second')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('--ipv4', '--ipv4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;tcp;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect, show the greeting, send each message and show its reply, then send `exit`')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Accept clients and relay each one''s bytes to --to and back, with faults if asked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;tcp;help;serve' {
            break
        }
        'netdemo;tcp;help;connect' {
            break
        }
        'netdemo;tcp;help;relay' {
            break
        }
        'netdemo;tcp;help;help' {
            break
        }
        'netdemo;udp' {
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer each datagram with `Hello, DATA`')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send each argument as one datagram and show each reply')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Relay each client''s datagrams to --to and the replies back, with faults if asked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;udp;serve' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'What senders get')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'In stdio mode, how stdin becomes datagrams and datagrams are printed [default: line]')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Answer on N sockets sharing the port (SO_REUSEPORT), a thread each: the kernel spreads senders over them by address and port, and one sender stays on one socket [default: every core this process may use]')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Never talk to peers in this range; repeatable; wins over --allow')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print datagrams and bytes per second on stderr once a second')
            [CompletionResult]::new('--allow-amplification', '--allow-amplification', [CompletionResultType]::ParameterName, 'Answer with more bytes than a datagram brought (chargen, the seed protocol''s `Hello, `) even when other machines can reach the server. Off, such a server sends no larger reply: with spoofed senders it would flood a third party (reflection)')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('--ipv4', '--ipv4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;udp;send' {
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Send the datagrams of a pcap or pcapng capture (netdemo''s --pcap, tcpdump''s, Wireshark''s) that went to the address its first datagram went to, in order; with --mode request and load flags, they are the requests')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'What to send: the arguments (seed, echo, request), or stdin (stdio)')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'In stdio mode, how stdin becomes datagrams and datagrams are printed [default: line]')
            [CompletionResult]::new('--match-id', '--match-id', [CompletionResultType]::ParameterName, 'Match replies to requests by the ID at byte OFFSET, LEN bytes long (1 to 4, big-endian): netdemo writes a fresh one into each request (--mode request)')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'The protocol''s own matching and checks: dns (the ID at 0:2; an answer with RCODE NOERROR, or it is a wrong reply) (--mode request)')
            [CompletionResult]::new('--bitrate', '--bitrate', [CompletionResultType]::ParameterName, 'With --mode send: bits per second, K/M/G as 1,000s (as iperf3 -b), paced; 0 sends as fast as the socket takes them [default: 1M]')
            [CompletionResult]::new('--dns-query', '--dns-query', [CompletionResultType]::ParameterName, 'Send a DNS query for NAME and TYPE (A, AAAA, MX, TXT, NS, CNAME, SOA, PTR, SRV, ANY, or a number) instead of DATA; implies --preset dns (--mode request)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Wait this long for each reply before sending again; in stdio mode, how long to wait for replies after stdin ends')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Send a datagram again this many times when no reply comes, at most 100 [default: 2]')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \r, \n, \t, \\ and \xNN are understood). Repeatable: matched to the messages by position, or one for all')
            [CompletionResult]::new('--expect-regex', '--expect-regex', [CompletionResultType]::ParameterName, 'In request mode, each reply (as shown) must contain a match for this regular expression')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Send from N sockets at once, each its own source port (--mode request)')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Send from N sockets at once, each its own source port (--mode request)')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Keep up to N requests in flight on each socket, matched by --match-id or --preset (--mode request) [default: 1]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Run the sockets on N threads (--mode request) [default: every core this process may use]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Send N datagrams in all (seed and echo: numbered; request mode: N requests)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Send N datagrams in all (seed and echo: numbered; request mode: N requests)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Send for this long [default: 10s, unless -n is given]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Send for this long [default: 10s, unless -n is given]')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Open loop: R requests (or datagrams) per second in all, due on schedule whatever the replies do, latency counted from when each was due; k and M are 1,000 and 1,000,000. A range LOW..HIGH ramps with --ramp, or bounds --find-max-rate [search default: 100..1M]')
            [CompletionResult]::new('--ramp', '--ramp', [CompletionResultType]::ParameterName, 'Ramp linearly from --rate''s LOW to HIGH over DURATION (the run''s length)')
            [CompletionResult]::new('--stages', '--stages', [CompletionResultType]::ParameterName, 'Open loop in stages, each DURATION@RATE (a hold) or DURATION@FROM..TO (a ramp), e.g. ''10s@1k,30s@5k..20k,10s@20k..0''; the report keeps each stage''s latency')
            [CompletionResult]::new('--slo', '--slo', [CompletionResultType]::ParameterName, 'The promise for --find-max-rate, bounds joined by commas: p50, p90, p99, p999 or max below a latency (us, ms, s), errors below a share (0.1%) or a count, e.g. ''p99<5ms,errors<0.1%''')
            [CompletionResult]::new('--step-duration', '--step-duration', [CompletionResultType]::ParameterName, 'How long each step of --find-max-rate measures, after a warm-up it discards (--warmup, or 1s) [default: 4s]')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Print what completed every DURATION (at least 100ms): a line on stderr, terminal or not, or an `interval` event with --json (--mode request)')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Write the run also as a page to FILE, one HTML file that fetches nothing: the latency distribution, latency, rate and errors each second (bits/s with --mode send|receive), and what ran')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1) while it runs: requests, errors by kind, the latency histogram and its percentiles')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Datagram size in bytes, at least 16 [default: 64]')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Run shard I of N (1/3, 2/3, 3/3): this process takes every N-th request of the whole run''s schedule; -c, -n and --rate are totals across the shards')
            [CompletionResult]::new('--start-at', '--start-at', [CompletionResultType]::ParameterName, 'Start at this wall-clock time, RFC 3339 (2026-11-25T20:00:00Z), so every shard starts at the same instant (clocks synchronised by NTP)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Send from this local address, and port if given: ADDR, ADDR:PORT, [V6]:PORT or :PORT (as nc -s and -p); a fixed port allows one connection at a time')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--replay-timing', '--replay-timing', [CompletionResultType]::ParameterName, 'With --replay, send each datagram no sooner than the capture''s gap after the first (as well as after the last reply)')
            [CompletionResult]::new('--find-max-rate', '--find-max-rate', [CompletionResultType]::ParameterName, 'Find the highest rate that keeps --slo: steps up from --rate''s LOW, doubling, then bisects between the last rate that kept the promise and the first that broke it')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('--ipv4', '--ipv4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;udp;relay' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The server to relay to, as HOST:PORT ([::1]:PORT for IPv6). Without it, relays are made through --api')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Serve an HTTP API compatible with toxiproxy 2.12 on ADDR (a port binds 127.0.0.1; toxiproxy''s own is 8474): its clients make relays and add, change and remove faults (toxics) while connections run. The relay of --to is the proxy `default`')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'Change the faults of the relay over time, e.g. ''10s:latency=200ms;30s:reset; 45s:clear'': at each time from the start, each fault named replaces the one of its kind (in the directions of --direction), `clear` removes them all. Faults: latency, jitter, timeout[=DURATION], reset[=DURATION], and for tcp bandwidth, slice, reset-after, close-after, slow-close (and fail, hold with --framing); for udp loss, duplicate, reorder')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Connect to the target from this local address (its port is the system''s choice)')
            [CompletionResult]::new('--loss', '--loss', [CompletionResultType]::ParameterName, 'Drop this share of datagrams, written 10% or 10')
            [CompletionResult]::new('--duplicate', '--duplicate', [CompletionResultType]::ParameterName, 'Send this share of datagrams twice')
            [CompletionResult]::new('--reorder', '--reorder', [CompletionResultType]::ParameterName, 'Hold this share of datagrams back until the next one has gone (or 50ms passed)')
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Delay everything by this long, e.g. 100ms (TCP keeps the order)')
            [CompletionResult]::new('--jitter', '--jitter', [CompletionResultType]::ParameterName, 'Add a random delay of up to this long on top of --latency, drawn per chunk or datagram')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which way faults apply: down (server to client, as toxiproxy''s default), up (client to server) or both (each way: --latency 100ms then adds 200 ms to a request and its reply). Down, a fault''s figure is what a request/reply feels: --latency 100ms adds 100 ms, --loss 20% fails 20% of queries. The relay says which faults are in force, and which way, at start and on every change')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the random choices (jitter, loss, duplication, reordering), so a run can be repeated exactly [default: a new one each run, printed at start]')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'End a client''s session (its upstream socket) after this long without a datagram either way [default: 60s]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'End a client''s session (its upstream socket) after this long without a datagram either way [default: 60s]')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable. Others are closed before a byte is read (TCP) or get no reply (UDP)')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Never talk to peers in this range; repeatable; wins over --allow')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print datagrams, bytes per second and datagrams dropped on stderr once a second')
            [CompletionResult]::new('--allow-amplification', '--allow-amplification', [CompletionResultType]::ParameterName, 'Send each client everything the target answers, and allow --duplicate, even when other machines can reach the relay. Off, such a relay sends a client at most 10x the bytes it sent (over 10 s, plus 1500 bytes): with spoofed senders it would flood a third party (reflection)')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('--ipv4', '--ipv4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;udp;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer each datagram with `Hello, DATA`')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send each argument as one datagram and show each reply')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Relay each client''s datagrams to --to and the replies back, with faults if asked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;udp;help;serve' {
            break
        }
        'netdemo;udp;help;send' {
            break
        }
        'netdemo;udp;help;relay' {
            break
        }
        'netdemo;udp;help;help' {
            break
        }
        'netdemo;unix' {
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Accept clients on a Unix-domain socket, as `tcp serve` does on a port')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a Unix-domain socket, as `tcp connect` does to a port')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;unix;serve' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The socket to listen on: a file path, or @NAME for a Linux abstract name (no file). A stale socket file left by a server that is gone is replaced; the file is removed when the server stops')
            [CompletionResult]::new('--socket-mode', '--socket-mode', [CompletionResultType]::ParameterName, 'Permissions of the socket file, in octal as chmod takes them (0600: only this user may connect), set before any client can connect [default: from the umask]')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'What clients get')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'Wait this long before each reply in seed mode (the tutorial waits 1s), e.g. 250ms')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Serve at most N clients at once; more wait, connected but not greeted, until one leaves')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes and messages by direction, while it runs')
            [CompletionResult]::new('--max-buffered', '--max-buffered', [CompletionResultType]::ParameterName, 'Bytes of partial messages held across all connections, beyond 64K each; a client whose message would go over is disconnected. K, M or G suffixes [default: 64M]')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a client that sends nothing for this long (seed, echo and discard modes; in stdio mode, when nothing moves either way), like nc -w')
            [CompletionResult]::new('--on-eof', '--on-eof', [CompletionResultType]::ParameterName, 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'On Ctrl-C or SIGTERM, give clients this long to finish the message in hand before closing them; a second signal exits at once [default: 5s]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Run connections on N threads, each with a runtime of its own [default: every core this process may use]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'How messages are delimited on the stream (servers: seed, echo and discard modes; clients: seed, echo and request modes, and load runs) [default: raw]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'With --framing line, a received message ends at STRING instead of at a newline (memcached''s multi-line replies end in ''END\r\n''); \r, \n, \t, \\ and \xNN are understood')
            [CompletionResult]::new('--max-frame', '--max-frame', [CompletionResultType]::ParameterName, 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'In stdio mode, serve one client after another instead of exiting after the first')
            [CompletionResult]::new('--keep-open', '--keep-open', [CompletionResultType]::ParameterName, 'In stdio mode, serve one client after another instead of exiting after the first')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print connections, messages and bytes per second on stderr once a second')
            [CompletionResult]::new('--crlf', '--crlf', [CompletionResultType]::ParameterName, 'With --framing line, end the lines netdemo sends with \r\n instead of \n')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;unix;connect' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The socket to connect to: a file path, or @NAME for a Linux abstract name')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Send what the client of the first TCP stream in a pcap or pcapng capture sent (netdemo''s --pcap, tcpdump''s, Wireshark''s), split into messages by --framing; with --mode request and load flags, they are the requests')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'What to do once connected')
            [CompletionResult]::new('--ws-path', '--ws-path', [CompletionResultType]::ParameterName, 'With --framing ws: the path (and query) of the WebSocket URL [default: /]')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A protocol netdemo knows: memcached (--framing memcached, --mode request), so ''set k 0 0 5\r\nhello'' and ''get k'' load with --pipeline and nothing more')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Keep trying a refused connection until it succeeds or this much time has passed')
            [CompletionResult]::new('--on-eof', '--on-eof', [CompletionResultType]::ParameterName, 'In stdio mode, what to do with the connection when stdin ends [default: shutdown]')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'In stdio mode, close the connection when nothing moves either way for this long, like nc -w')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'In stdio mode, close the connection when nothing moves either way for this long, like nc -w')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on connecting, on any one reply, or on a throughput stream where nothing moves, after this long')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How messages given as arguments become bytes, and how received bytes are shown: utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...), hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'How messages are delimited on the stream (servers: seed, echo and discard modes; clients: seed, echo and request modes, and load runs) [default: raw]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'With --framing line, a received message ends at STRING instead of at a newline (memcached''s multi-line replies end in ''END\r\n''); \r, \n, \t, \\ and \xNN are understood')
            [CompletionResult]::new('--max-frame', '--max-frame', [CompletionResultType]::ParameterName, 'Largest frame accepted or sent; a peer that sends more is disconnected. Takes a byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \r, \n, \t, \\ and \xNN are understood). Repeatable: matched to the messages by position, or one for all')
            [CompletionResult]::new('--expect-regex', '--expect-regex', [CompletionResultType]::ParameterName, 'In request mode, each reply (as shown) must contain a match for this regular expression')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Run the conversation on N connections at once')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Run the conversation on N connections at once')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Measure for this long [default: 10s, unless -n is given]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Measure for this long [default: 10s, unless -n is given]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after N attempts in all: requests, and connections or greetings that failed; with --mode send or receive, after N bytes in all (K, M, G)')
            [CompletionResult]::new('--requests', '--requests', [CompletionResultType]::ParameterName, 'Stop after N attempts in all: requests, and connections or greetings that failed; with --mode send or receive, after N bytes in all (K, M, G)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Open loop: R requests (or datagrams) per second in all, due on schedule whatever the replies do, latency counted from when each was due; k and M are 1,000 and 1,000,000. A range LOW..HIGH ramps with --ramp, or bounds --find-max-rate [search default: 100..1M]')
            [CompletionResult]::new('--ramp', '--ramp', [CompletionResultType]::ParameterName, 'Ramp linearly from --rate''s LOW to HIGH over DURATION (the run''s length)')
            [CompletionResult]::new('--stages', '--stages', [CompletionResultType]::ParameterName, 'Open loop in stages, each DURATION@RATE (a hold) or DURATION@FROM..TO (a ramp), e.g. ''10s@1k,30s@5k..20k,10s@20k..0''; the report keeps each stage''s latency')
            [CompletionResult]::new('--slo', '--slo', [CompletionResultType]::ParameterName, 'The promise for --find-max-rate, bounds joined by commas: p50, p90, p99, p999 or max below a latency (us, ms, s), errors below a share (0.1%) or a count, e.g. ''p99<5ms,errors<0.1%''')
            [CompletionResult]::new('--step-duration', '--step-duration', [CompletionResultType]::ParameterName, 'How long each step of --find-max-rate measures, after a warm-up it discards (--warmup, or 1s) [default: 4s]')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Payload size in bytes when no message is given, at most --max-frame (1024 with --framing raw) [default: 16]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Keep up to N requests in flight on each connection, replies matched first in, first out (not with --framing raw) [default: 1]')
            [CompletionResult]::new('--warmup', '--warmup', [CompletionResultType]::ParameterName, 'Run this long first, without recording, so connections and caches are warm')
            [CompletionResult]::new('--hist-log', '--hist-log', [CompletionResultType]::ParameterName, 'Write the latency as an HdrHistogram interval log to FILE, one histogram a second, for HistogramLogProcessor and other HdrHistogram tools')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Write the run also as a page to FILE, one HTML file that fetches nothing: the latency distribution, latency, rate and errors each second (bits/s with --mode send|receive), and what ran')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1) while it runs: requests, errors by kind, the latency histogram and its percentiles')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Print what completed every DURATION (at least 100ms): a line on stderr, terminal or not (in place of the live line), or an `interval` event with --json')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Run the connections (or --mode send|receive streams) on N threads [default: every core this process may use]')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Run shard I of N (1/3, 2/3, 3/3): this process takes every N-th request of the whole run''s schedule; -c, -n and --rate are totals across the shards')
            [CompletionResult]::new('--start-at', '--start-at', [CompletionResultType]::ParameterName, 'Start at this wall-clock time, RFC 3339 (2026-11-25T20:00:00Z), so every shard starts at the same instant (clocks synchronised by NTP)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--replay-timing', '--replay-timing', [CompletionResultType]::ParameterName, 'With --replay, send each message no sooner than the capture''s gap after the first (as well as after the last reply)')
            [CompletionResult]::new('--bidir', '--bidir', [CompletionResultType]::ParameterName, 'With --mode send or receive: both directions at once on every stream, each counted and reported (as iperf3 --bidir), against a server that reads and writes at once: tcp serve --mode source or chargen')
            [CompletionResult]::new('--crlf', '--crlf', [CompletionResultType]::ParameterName, 'With --framing line, end the lines netdemo sends with \r\n instead of \n')
            [CompletionResult]::new('--find-max-rate', '--find-max-rate', [CompletionResultType]::ParameterName, 'Find the highest rate that keeps --slo: steps up from --rate''s LOW, doubling, then bisects between the last rate that kept the promise and the first that broke it')
            [CompletionResult]::new('--reconnect', '--reconnect', [CompletionResultType]::ParameterName, 'Each request on a new connection: connect, greeting, request, reply, close. The report adds connections per second; connect times are apart from request latency')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;unix;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Accept clients on a Unix-domain socket, as `tcp serve` does on a port')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a Unix-domain socket, as `tcp connect` does to a port')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;unix;help;serve' {
            break
        }
        'netdemo;unix;help;connect' {
            break
        }
        'netdemo;unix;help;help' {
            break
        }
        'netdemo;ws' {
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Accept WebSocket clients on any path and echo each message (text as text, binary as binary); pings are answered, close codes returned')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a WebSocket server: send each message, show each reply; ping; or stdin to the server and its messages to stdout (websocat)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;ws;serve' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--max-frame', '--max-frame', [CompletionResultType]::ParameterName, 'Largest message accepted; a client that sends more is closed with code 1009. K, M or G (powers of 1024) [default: 1M]')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'On Ctrl-C or SIGTERM, close each client with code 1001 (going away) and give them this long to answer [default: 5s]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The server''s certificate chain, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key of --cert, PEM (PKCS#8, PKCS#1 or SEC1)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require a client certificate signed by a CA in this PEM file')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'An application protocol this server speaks (ALPN), e.g. h2 or http/1.1; repeatable, in order of preference. Clients that offer only other protocols are refused; clients that offer none are served')
            [CompletionResult]::new('--keylog', '--keylog', [CompletionResultType]::ParameterName, 'Append the TLS secrets of each connection to FILE in the NSS key log format, so Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('--ipv4', '--ipv4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS: each client''s handshake comes first. Without --cert, a throwaway self-signed certificate is made at start and its SHA-256 fingerprint printed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;ws;connect' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'What to do once the WebSocket is open')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The path (and query) of the WebSocket URL [default: /]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'With --mode ping: how many pings [default: 4]')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'With --mode ping: how many pings [default: 4]')
            [CompletionResult]::new('--close-code', '--close-code', [CompletionResultType]::ParameterName, 'Close with this code at the end (1000 normal, 1001 going away, 3000-4999 an application''s own) [default: 1000]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on connecting, or on any one reply or pong, after this long')
            [CompletionResult]::new('--max-frame', '--max-frame', [CompletionResultType]::ParameterName, 'Largest message accepted from the server. K, M or G [default: 1M]')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp, the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \r, \n, \t, \\ and \xNN are understood). Repeatable: matched to the messages by position, or one for all')
            [CompletionResult]::new('--expect-regex', '--expect-regex', [CompletionResultType]::ParameterName, 'In request mode, each reply (as shown) must contain a match for this regular expression')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or ::1 with -6]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port number; 0 lets the OS choose a free port (servers); a range such as 8000-8010 with `tcp connect -z` [default: 9999]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the target through a proxy: socks5://[USER:PASS@]HOST[:PORT] (SOCKS5; a target name is resolved by the proxy, as socks5h) or http://[USER:PASS@]HOST[:PORT] (an HTTP proxy''s CONNECT) [default ports: 1080, 3128]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Send from this local address, and port if given: ADDR, ADDR:PORT, [V6]:PORT or :PORT (as nc -s and -p); a fixed port allows one connection at a time')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CAs in this PEM file instead of the system''s')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Trust exactly the certificate with this SHA-256 fingerprint, as a netdemo server prints it (sha256:AB:CD:..., colons optional), and no other')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'The server name to ask for (SNI) and to verify [default: the host given; none for an IP address]')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'An application protocol to offer (ALPN), e.g. h2 or http/1.1; repeatable')
            [CompletionResult]::new('--keylog', '--keylog', [CompletionResultType]::ParameterName, 'Append the TLS secrets of each connection to FILE in the NSS key log format, so Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'A client certificate chain, PEM, for servers that ask for one (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key of --cert, PEM')
            [CompletionResult]::new('--tls-resume', '--tls-resume', [CompletionResultType]::ParameterName, 'Resume TLS sessions on later connections to the same server (a short handshake with no certificate), as browsers, curl and openssl do; off makes every handshake a full one [default: on]')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Send binary messages instead of text')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('--ipv4', '--ipv4', [CompletionResultType]::ParameterName, 'Use IPv4 addresses only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Use IPv6 addresses only')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS. The server''s certificate is verified against the system''s CAs and the host name, unless --cacert, --pin or --insecure say otherwise')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s certificate at all (says so on stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;ws;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Accept WebSocket clients on any path and echo each message (text as text, binary as binary); pings are answered, close codes returned')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a WebSocket server: send each message, show each reply; ping; or stdin to the server and its messages to stdout (websocat)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;ws;help;serve' {
            break
        }
        'netdemo;ws;help;connect' {
            break
        }
        'netdemo;ws;help;help' {
            break
        }
        'netdemo;merge' {
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Write the report also as a page to FILE: the latency distribution, latency, rate and errors each second, and what ran, in one HTML file that fetches nothing')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;completions' {
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--hex-dump', '--hex-dump', [CompletionResultType]::ParameterName, 'Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE writes the dump to FILE instead')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write what was sent and received as a pcapng capture to FILE, for Wireshark and tshark (no root or tcpdump needed): TCP connections with their handshake, segments and close, UDP datagrams, each at the time it was seen')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of --explain: en, or zh for the tutorial''s Chinese step names')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only peer data, errors and the `listening on` line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (-vv for even more); errors get a full report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events (listening, accept, message, reply, close, error) as JSON lines on stdout instead of human text')
            [CompletionResult]::new('--pcap-secrets', '--pcap-secrets', [CompletionResultType]::ParameterName, 'With --pcap, write the TLS secrets into the capture (a decryption secrets block), so Wireshark decrypts it from the one file: whoever has the file can read the traffic')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv, send, close) in the tutorial''s terms, with the real values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'netdemo;help' {
            [CompletionResult]::new('tcp', 'tcp', [CompletionResultType]::ParameterValue, 'TCP server and client')
            [CompletionResult]::new('udp', 'udp', [CompletionResultType]::ParameterValue, 'UDP server and sender')
            [CompletionResult]::new('unix', 'unix', [CompletionResultType]::ParameterValue, 'Unix-domain stream socket server and client (every mode and framing of tcp)')
            [CompletionResult]::new('ws', 'ws', [CompletionResultType]::ParameterValue, 'WebSocket server and client (RFC 6455), wss:// with --tls')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Add up the JSON reports of load runs (shards on several machines): histograms added, never percentiles averaged')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'netdemo;help;tcp' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect, show the greeting, send each message and show its reply, then send `exit`')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Accept clients and relay each one''s bytes to --to and back, with faults if asked')
            break
        }
        'netdemo;help;tcp;serve' {
            break
        }
        'netdemo;help;tcp;connect' {
            break
        }
        'netdemo;help;tcp;relay' {
            break
        }
        'netdemo;help;udp' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer each datagram with `Hello, DATA`')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send each argument as one datagram and show each reply')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Relay each client''s datagrams to --to and the replies back, with faults if asked')
            break
        }
        'netdemo;help;udp;serve' {
            break
        }
        'netdemo;help;udp;send' {
            break
        }
        'netdemo;help;udp;relay' {
            break
        }
        'netdemo;help;unix' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Accept clients on a Unix-domain socket, as `tcp serve` does on a port')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a Unix-domain socket, as `tcp connect` does to a port')
            break
        }
        'netdemo;help;unix;serve' {
            break
        }
        'netdemo;help;unix;connect' {
            break
        }
        'netdemo;help;ws' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Accept WebSocket clients on any path and echo each message (text as text, binary as binary); pings are answered, close codes returned')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a WebSocket server: send each message, show each reply; ping; or stdin to the server and its messages to stdout (websocat)')
            break
        }
        'netdemo;help;ws;serve' {
            break
        }
        'netdemo;help;ws;connect' {
            break
        }
        'netdemo;help;merge' {
            break
        }
        'netdemo;help;completions' {
            break
        }
        'netdemo;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
