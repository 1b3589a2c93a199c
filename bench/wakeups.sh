#!/usr/bin/env bash
# Thread wake-ups per call of OrleansProxy: a sipp pair, a published node and one sipp caller at RATE calls/s,
# WARM_SECONDS first, then SECONDS_MEASURED measured. Prints the proxy's CPU s per 1000 calls, its voluntary context switches
# per call by thread name (/proc/PID/task), and, when perf is installed, who woke whom per call over PERF_SECONDS
# (sched:sched_waking with the waker's stack; W^X off so that perf names JIT-compiled frames).
# Usage: bench/wakeups.sh   (RATE, SECONDS_MEASURED, WARM_SECONDS, PERF_SECONDS, PROXY_CMD are environment variables)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")

: "${RATE:=200}"
: "${SECONDS_MEASURED:=20}"
: "${WARM_SECONDS:=15}"
: "${PERF_SECONDS:=5}"
: "${PROXY_CMD:=dotnet $REPO_DIR/src/Silo/bin/Release/net10.0/orleans-proxy.dll}"
: "${RUN_DIR:=$(mktemp -d /tmp/orleans-proxy-wakeups.XXXXXX)}"

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=lib/sipp.sh
source "$BENCH_DIR/lib/sipp.sh"
# shellcheck source=lib/proxies.sh
source "$BENCH_DIR/lib/proxies.sh"

# "tid|name|voluntary switches" for every thread of PID.
thread_switches() {
  local task
  for task in /proc/"$1"/task/*; do
    printf '%s|%s|%s\n' "${task##*/}" "$(cat "$task/comm")" "$(awk '/^voluntary_ctxt_switches/ { print $2 }' "$task/status")"
  done 2>/dev/null
}

# Per call, by waker and woken thread name, from perf script output; the 3 commonest managed waker frames of each.
summarise_wakes() {
  python3 - "$1" "$2" <<'PY'
import collections, re, sys
events, calls = open(sys.argv[1]).read().split('\n\n'), float(sys.argv[2])
pairs, frames = collections.Counter(), collections.defaultdict(collections.Counter)
for event in events:
    lines = event.strip().split('\n')
    if not lines or 'sched_waking' not in lines[0]:
        continue
    waker = re.match(r'^\s*(.*?)\s+\d+\s+\[\d+\]', lines[0])
    woken = re.search(r'comm=(.*?) pid=\d+', lines[0])
    key = (waker.group(1) if waker else '?', woken.group(1) if woken else '?')
    pairs[key] += 1
    managed = [re.sub(r'\s*\(.*\)$', '', l.strip().split(' ', 1)[-1]) for l in lines[1:] if '[System.' in l or '[Orleans' in l]
    frames[key][managed[0][:120] if managed else '(native or kernel only)'] += 1
for (waker, woken), count in pairs.most_common(10):
    print(f'{count / calls:6.2f} per call  {waker} -> {woken}')
    for frame, n in frames[(waker, woken)].most_common(3):
        print(f'          {n / calls:6.2f}  {frame}')
PY
}

main() {
  mkdir -p "$RUN_DIR"
  : >"$RUN_DIR/pids"
  trap 'while read -r p; do stop_pid "$p"; done <"$RUN_DIR/pids"' EXIT
  local primary backup port pid before after ticks0 ticks1 calls perf_pid=""
  primary=$(free_port)
  backup=$(free_port)
  port=$(free_port)
  start_uas primary "$primary" >>"$RUN_DIR/pids"
  start_uas backup "$backup" >>"$RUN_DIR/pids"
  PROXY_ARGS="$PROXY_ARGS" PROXY_CMD="env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 $PROXY_CMD" \
    start_orleans proxy "$port" "$primary" "$backup" udp >"$RUN_DIR/proxy.pid"
  pid=$(cat "$RUN_DIR/proxy.pid")
  echo "$pid" >>"$RUN_DIR/pids"
  wait_for 30 orleans_ready proxy || die "the node did not report its primary up"
  log "warming up: $RATE calls/s for ${WARM_SECONDS}s"
  run_uacs "$RUN_DIR/warm" "$port" "$RATE" "$WARM_SECONDS" 1
  log "measuring: $RATE calls/s for ${SECONDS_MEASURED}s"
  before=$(thread_switches "$pid")
  ticks0=$(tree_cpu_ticks "$pid")
  run_uacs "$RUN_DIR/load" "$port" "$RATE" "$SECONDS_MEASURED" 1 &
  local load=$!
  if command -v perf >/dev/null; then
    sleep 2
    perf record -q -e sched:sched_waking -g -p "$pid" -o "$RUN_DIR/wakes.data" -- sleep "$PERF_SECONDS" >/dev/null 2>&1 || true
  fi
  wait "$load" || true
  ticks1=$(tree_cpu_ticks "$pid")
  after=$(thread_switches "$pid")
  calls=$(successful_calls "$RUN_DIR/load")
  ((calls > 0)) || die "no call completed"
  awk -v t=$((ticks1 - ticks0)) -v hz="$CLK_TCK" -v n="$calls" 'BEGIN { printf "%d calls; proxy CPU %.3f s per 1000 calls\n", n, t / hz * 1000 / n }'
  echo "voluntary context switches per call, by thread name:"
  awk -F'|' -v n="$calls" 'NR == FNR { seen[$1] = $3; next } { d = $3 - seen[$1]; if (d > 0) per[$2] += d; all += d > 0 ? d : 0 }
    END { for (name in per) printf "%6.2f  %s\n", per[name] / n, name; printf "%6.2f  (all threads)\n", all / n }' \
    <(echo "$before") <(echo "$after") | sort -rn
  if [[ -f "$RUN_DIR/wakes.data" ]]; then
    perf script -i "$RUN_DIR/wakes.data" >"$RUN_DIR/wakes.txt" 2>/dev/null || true
    echo "wake-ups per call over ${PERF_SECONDS}s (waker -> woken, with the waker's first managed frame):"
    summarise_wakes "$RUN_DIR/wakes.txt" "$(awk -v r="$RATE" -v s="$PERF_SECONDS" 'BEGIN { print r * s }')"
  fi
}

main "$@"
