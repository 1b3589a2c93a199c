#!/usr/bin/env bash
# Cold start of OrleansProxy: a node restarted under load. Each run starts a sipp pair, then a new proxy process
# and, at the same moment, sipp callers offering RATE calls/s for SECONDS_OF_LOAD, and prints
#  - in ms after the process started (from /proc): the first answer to an OPTIONS addressed to the proxy (503 while
#    no member serves is an answer), the first 200 to it (the node serves; bench/lib/first_answer.py polls every
#    10 ms), and the first INVITE answered 200 through it;
#  - the CPU time (user + system) the process had spent by its first OPTIONS answer, which a shared machine
#    disturbs less than wall time;
#  - INVITE-to-200 p50/p99/p99.9/max (ms) and count of the calls sipp started within the first second after the
#    node served, and of every call (those sent before it listened include their retransmission delay).
# Usage: bench/coldstart.sh   (RUNS, RATE, SECONDS_OF_LOAD, PROXY_CMD, PROXY_ARGS are environment variables)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")

: "${RUNS:=5}"
: "${RATE:=1000}"
: "${SECONDS_OF_LOAD:=5}"
: "${PROXY_CMD:=dotnet $REPO_DIR/src/Silo/bin/Release/net10.0/orleans-proxy.dll}"
: "${RUN_DIR:=$(mktemp -d /tmp/orleans-proxy-coldstart.XXXXXX)}"

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=lib/sipp.sh
source "$BENCH_DIR/lib/sipp.sh"
# shellcheck source=lib/proxies.sh
source "$BENCH_DIR/lib/proxies.sh"

# The process's start in epoch ms, from /proc (10 ms resolution): the launch itself is part of the cold start.
# The boot time is now less the uptime: /proc/stat's btime is whole seconds, which put every figure up to 1 s late.
process_start_ms() {
  local boot ticks
  boot=$(awk -v now="$(now_ms)" '{ printf "%.3f", (now - $1 * 1000) / 1000 }' /proc/uptime)
  ticks=$(awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat")
  awk -v b="$boot" -v t="$ticks" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", b * 1000 + t * 1000 / hz }'
}

# p50 p99 p99.9 max and count of INVITE-to-200 times (ms) in DIR's rtt files, of calls sipp started in
# [FROM_MS, UNTIL_MS) after it started. sipp's rtt lines are "Date_ms;response_time_ms;rtd_no", Date_ms since sipp started.
rtt_between() {
  local dir=$1 from=$2 until=$3
  cat "$dir"/uac*/*_rtt.csv 2>/dev/null | awk -F';' -v from="$from" -v until="$until" \
    '$3 == 1 && $1 - $2 >= from && $1 - $2 < until { print $2 }' | sort -n | awk '
    function at(p,   i) { i = int(p * NR); if (i < p * NR) i++; return v[i < 1 ? 1 : i] }
    { v[NR] = $1 }
    END { if (NR == 0) print "n/a n/a n/a n/a 0"; else print at(0.50), at(0.99), at(0.999), v[NR], NR }'
}

# Ms after sipp started of the first INVITE answered 200, from DIR's rtt files.
first_call_done() {
  cat "$1"/uac*/*_rtt.csv 2>/dev/null | awk -F';' '$3 == 1 { if (first == "" || $1 < first) first = $1 } END { printf "%.0f", first }'
}

one_run() {
  local run=$1 dir="$RUN_DIR/run$1" primary backup port pid poller start load_start answers cpu ready
  mkdir -p "$dir"
  primary=$(free_port)
  backup=$(free_port)
  port=$(free_port)
  start_uas "run$run/primary" "$primary" >"$dir/primary.pid"
  start_uas "run$run/backup" "$backup" >"$dir/backup.pid"
  cat "$dir/primary.pid" "$dir/backup.pid" >>"$RUN_DIR/pids"
  sleep 0.5
  python3 "$BENCH_DIR/lib/first_answer.py" "$port" 30 >"$dir/answers" &
  poller=$!
  pid=$(start_orleans "run$run/proxy" "$port" "$primary" "$backup" udp)
  echo "$pid" >>"$RUN_DIR/pids"
  load_start=$(now_ms)
  run_uacs "$dir/load" "$port" "$RATE" "$SECONDS_OF_LOAD" 1 &
  local load=$!
  start=$(process_start_ms "$pid")
  wait "$poller" || true
  cpu=$(($(tree_cpu_ticks "$pid") * 1000 / CLK_TCK))
  wait "$load" || true
  read -r -a answers <"$dir/answers"
  ready=$((answers[1] - load_start))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$((answers[0] - start))" "$((answers[1] - start))" \
    "$(($(first_call_done "$dir/load") + load_start - start))" "$cpu" \
    "$(rtt_between "$dir/load" "$ready" "$((ready + 1000))" | tr ' ' '/')" "$(rtt_between "$dir/load" 0 999999 | tr ' ' '/')"
  stop_pid "$pid"
  stop_pid "$(cat "$dir/primary.pid")"
  stop_pid "$(cat "$dir/backup.pid")"
}

main() {
  mkdir -p "$RUN_DIR"
  : >"$RUN_DIR/pids"
  trap 'while read -r p; do stop_pid "$p"; done <"$RUN_DIR/pids"' EXIT
  log "run directory $RUN_DIR; proxy: $PROXY_CMD $PROXY_ARGS; $RATE calls/s for $SECONDS_OF_LOAD s from its start"
  printf 'run\tfirst OPTIONS answer ms\tfirst OPTIONS 200 ms\tfirst INVITE 200 ms\tCPU ms by then\tfirst second served p50/p99/p99.9/max ms/calls\tall p50/p99/p99.9/max ms/calls\n'
  local run
  for run in $(seq 1 "$RUNS"); do
    one_run "$run"
  done
}

main "$@"
