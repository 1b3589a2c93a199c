#!/usr/bin/env bash
# Cold start of OrleansProxy: how long a freshly started node takes to answer, and its latency in its first
# second of load. Each run starts a sipp pair and a new proxy process, then
#  1. polls it from the process's start (bench/lib/first_answer.py) and prints, in ms after the start, its
#     first answer to an OPTIONS addressed to it (503 while no member serves is an answer), its first 200 to
#     that OPTIONS (the pair serves), and the first 200 to an INVITE it forwarded to the pair;
#     and the CPU time (user + system) the process had spent by then, which a shared machine disturbs less;
#  2. at once offers RATE calls/s for SECONDS (sipp) and prints INVITE-to-200 p50/p99/p99.9/max (ms) of the
#     calls that started in the first second, and of all of them.
# Usage: bench/coldstart.sh   (RUNS, RATE, SECONDS, PROXY_CMD, PROXY_ARGS are environment variables)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")

: "${RUNS:=5}"
: "${RATE:=1000}"
: "${SECONDS_OF_LOAD:=3}"
: "${PROBE_INTERVAL_S:=1}"
: "${PROBE_FAILURES:=2}"
: "${PROBE_TIMEOUT_MS:=900}"
: "${TAKEOVER_HOLD_MS:=}"
: "${PROXY_ARGS:=}"
: "${PROXY_CMD:=dotnet $REPO_DIR/src/Silo/bin/Release/net10.0/orleans-proxy.dll}"
: "${RUN_DIR:=$(mktemp -d /tmp/orleans-proxy-coldstart.XXXXXX)}"

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=lib/sipp.sh
source "$BENCH_DIR/lib/sipp.sh"
# shellcheck source=lib/proxies.sh
source "$BENCH_DIR/lib/proxies.sh"

# The process's start in epoch ms, from /proc (10 ms resolution): the launch itself is part of the cold start.
process_start_ms() {
  local boot ticks
  boot=$(awk '/^btime/ { print $2 }' /proc/stat)
  ticks=$(awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat")
  awk -v b="$boot" -v t="$ticks" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", b * 1000 + t * 1000 / hz }'
}

# p50 p99 p99.9 max and count of INVITE-to-200 times (ms) in DIR's rtt files, of calls that ended before
# FIRST_MS after sipp started (all calls when empty). sipp's rtt lines are "Date_ms;response_time;rtd_no" with
# Date_ms since sipp started.
first_second_percentiles() {
  local dir=$1 until=${2:-}
  cat "$dir"/uac*/*_rtt.csv 2>/dev/null | awk -F';' -v until="$until" \
    '$3 == 1 && (until == "" || $1 - $2 <= until) { print $2 }' | sort -n | awk '
    function at(p,   i) { i = int(p * NR); if (i < p * NR) i++; return v[i < 1 ? 1 : i] }
    { v[NR] = $1 }
    END { if (NR == 0) print "n/a n/a n/a n/a 0"; else print at(0.50), at(0.99), at(0.999), v[NR], NR }'
}

one_run() {
  local run=$1 dir="$RUN_DIR/run$1" primary backup port pid poller start answers cpu
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
  start=$(process_start_ms "$pid")
  wait "$poller" || true
  cpu=$(($(tree_cpu_ticks "$pid") * 1000 / CLK_TCK))
  run_uacs "$dir/load" "$port" "$RATE" "$SECONDS_OF_LOAD" 1
  read -r -a answers <"$dir/answers"
  local first=() f
  for f in "${answers[@]}"; do
    if [[ "$f" == none ]]; then first+=(none); else first+=($((f - start))); fi
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "${first[0]}" "${first[1]}" "${first[2]}" "$cpu" \
    "$(first_second_percentiles "$dir/load" 1000 | tr ' ' '/')" "$(first_second_percentiles "$dir/load" | tr ' ' '/')"
  stop_pid "$pid"
  stop_pid "$(cat "$dir/primary.pid")"
  stop_pid "$(cat "$dir/backup.pid")"
}

main() {
  mkdir -p "$RUN_DIR"
  : >"$RUN_DIR/pids"
  trap 'while read -r p; do stop_pid "$p"; done <"$RUN_DIR/pids"' EXIT
  log "run directory $RUN_DIR; proxy: $PROXY_CMD $PROXY_ARGS; $RATE calls/s for $SECONDS_OF_LOAD s after the first call"
  printf 'run\tfirst OPTIONS answer ms\tfirst OPTIONS 200 ms\tfirst INVITE 200 ms\tCPU ms by then\tfirst second p50/p99/p99.9/max ms/calls\tall p50/p99/p99.9/max ms/calls\n'
  local run
  for run in $(seq 1 "$RUNS"); do
    one_run "$run"
  done
}

main "$@"
