# Shared by the bench scripts: starting servers that announce "listening on ADDR" on
# stderr, and small number helpers. Source it; it defines functions only.

bench_workdir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$bench_workdir"' EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server CMD: runs CMD in the background (stdout to /dev/null) and waits, at most
# 10 s, for its "listening on ADDR" line. Sets SERVER_PID and SERVER_PORT. Readiness is
# read, never probed: connecting to check would use up a one-client server.
start_server() {
  local fifo line
  fifo=$(mktemp -u "$bench_workdir/XXXXXX")
  mkfifo "$fifo"
  bash -c "$1" >/dev/null 2>"$fifo" &
  SERVER_PID=$!
  exec 3<"$fifo"
  SERVER_PORT=
  while IFS= read -r -t 10 line <&3; do
    if [[ $line == *"listening on "* ]]; then
      SERVER_PORT=${line##*:}
      SERVER_PORT=${SERVER_PORT%% *}
      break
    fi
  done
  # Keep draining stderr so the server never blocks on a full pipe.
  cat <&3 >/dev/null &
  exec 3<&-
  [ -n "$SERVER_PORT" ] || { echo "server did not start: $1" >&2; return 1; }
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

median() { python3 -c 'import statistics, sys; print(f"{statistics.median(map(float, sys.argv[1:])):.0f}")' "$@"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

# cpu_run OUT CMD...: runs CMD with its stdout in OUT, and prints the CPU seconds (user +
# system) it and its children used, from getrusage: the figure requests per CPU-second
# are computed from.
cpu_run() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys
out = sys.argv[1]
with open(out, "w") as f:
    subprocess.run(sys.argv[2:], stdout=f, check=False)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.3f}")
PY
}

# Server and client on disjoint CPUs: the first half of the cores serve, the second half
# load (on 2 cores, CPU 0 and CPU 1), so a ratio measures the programs, not the
# scheduler's split of shared cores. Sets server_cpus and client_cpus, and srv and cli,
# the taskset prefixes that put a command on them.
cores=$(nproc)
if [ "$cores" -ge 2 ]; then
  server_cpus="0-$((cores / 2 - 1))"
  client_cpus="$((cores / 2))-$((cores - 1))"
else
  server_cpus=0
  client_cpus=0
fi
srv="taskset -c $server_cpus"
cli="taskset -c $client_cpus"
