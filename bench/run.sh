#!/usr/bin/env bash
# OrleansProxy and Kamailio side by side: capacity, CPU per call, latency, memory, a cold node, capacity held,
# overload, a junk flood, failover, takeover.
# Usage: bench/run.sh   (settings are environment variables; see bench/README.md)
set -euo pipefail

# kamailio lives in /usr/sbin, which a non-login shell may not have on PATH; dotnet tools in ~/.dotnet/tools.
PATH="$PATH:/usr/sbin:$HOME/.dotnet/tools"
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")

: "${SCENARIOS:=soak capacity sustained cold overload junk failover}"
: "${PROXIES:=orleans kamailio}"
: "${TRANSPORTS:=udp}"
: "${RATES:=200 1000 2000 2500 3000 3500 4000 4500 5000}"
: "${STEP_SECONDS:=10}"
: "${CAPACITY_FLOOR:=99.9}"
: "${LADDER_STOP:=99}"
: "${UACS:=1}"
: "${UACS_MAX:=3}"
: "${SATURATED:=0.90}"
: "${WARMUP_RATE:=100}"
: "${WARMUP_SECONDS:=5}"
: "${SOAK_RATE:=200}"
: "${SOAK_SECONDS:=90}"
: "${FAILOVER_RATE:=100}"
: "${FAILOVER_SECONDS:=21}"
: "${FAILOVER_MODES:=freeze kill}"
: "${TAKEOVER_RATE:=50}"
: "${TAKEOVER_SECONDS:=20}"
: "${TAKEOVER_CALL_HOLD_S:=2}"
: "${TAKEOVER_DIE_AFTER_S:=6}"
: "${TAKEOVER_DELAY_S:=2}"
: "${TAKEOVER_STANDBYS:=silent 503}"
: "${TAKEOVER_DEATHS:=freeze close}"
: "${TAKEOVER_ANNOUNCE:=none}"
: "${TAKEOVER_REVIVE_S:=}"
: "${TAKEOVER_HOLD_MS:=}"
: "${PAIR_CMD:=}"
: "${SWITCHOVER_SETTLE_S:=1.2}"
: "${PROBE_INTERVAL_S:=1}"
: "${PROBE_FAILURES:=2}"
: "${PROBE_TIMEOUT_MS:=900}"
: "${KAMAILIO_FR_TIMER_MS:=1000}"
: "${KAMAILIO_CHILDREN:=4}"
: "${KAMAILIO_SHM_MB:=256}"
: "${KAMAILIO_PKG_MB:=8}"
: "${SUSTAINED_RATE:=}"
: "${SUSTAINED_SECONDS:=60}"
: "${COLD_RATE:=1000}"
: "${COLD_SECONDS:=10}"
: "${OVERLOAD_RATE:=}"
: "${OVERLOAD_INVITES_PER_S:=}"
: "${OVERLOAD_SECONDS:=20}"
: "${JUNK_RATE:=20000}"
: "${JUNK_CALL_RATE:=200}"
: "${JUNK_SECONDS:=20}"
: "${JUNK_SOURCE_LIMIT:=2000}"
: "${PROFILE_RATE:=400}"
: "${PROFILE_SECONDS:=15}"
: "${PROXY_ARGS:=}"
: "${PROXY_CMD:=}"
: "${INSTALL:=1}"
: "${OUT_DIR:=$BENCH_DIR/results}"
: "${MACHINE:=$(nproc)cpu-$(hostname -s)}"
: "${RUN_DIR:=$(mktemp -d /tmp/orleans-proxy-bench.XXXXXX)}"
read -r FIRST_TRANSPORT _ <<<"$TRANSPORTS"

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=lib/sipp.sh
source "$BENCH_DIR/lib/sipp.sh"
# shellcheck source=lib/proxies.sh
source "$BENCH_DIR/lib/proxies.sh"
# shellcheck source=lib/stack.sh
source "$BENCH_DIR/lib/stack.sh"
# shellcheck source=lib/pair.sh
source "$BENCH_DIR/lib/pair.sh"
# shellcheck source=lib/scenarios.sh
source "$BENCH_DIR/lib/scenarios.sh"
# shellcheck source=lib/stress.sh
source "$BENCH_DIR/lib/stress.sh"
# shellcheck source=lib/report.sh
source "$BENCH_DIR/lib/report.sh"
# shellcheck source=lib/stress_report.sh
source "$BENCH_DIR/lib/stress_report.sh"
# shellcheck source=lib/machine.sh
source "$BENCH_DIR/lib/machine.sh"

install_tools() {
  local missing=()
  command -v sipp >/dev/null || missing+=(sip-tester)
  command -v kamailio >/dev/null || missing+=(kamailio)
  # The takeover scenario reads the pair's JSON report.
  [[ " $SCENARIOS " == *" takeover "* ]] && ! command -v jq >/dev/null && missing+=(jq)
  # The junk flood is lib/junk.py.
  [[ " $SCENARIOS " == *" junk "* ]] && ! command -v python3 >/dev/null && missing+=(python3)
  ((${#missing[@]} == 0)) && return 0
  [[ "$INSTALL" == 1 ]] || die "missing ${missing[*]} and INSTALL=0"
  log "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

build_proxy() {
  [[ -n "$PROXY_CMD" ]] && return 0
  log "publishing src/Silo in Release"
  dotnet publish "$REPO_DIR/src/Silo" -c Release -o "$RUN_DIR/proxy" --nologo -v quiet >"$RUN_DIR/publish.log" 2>&1 \
    || { tail -20 "$RUN_DIR/publish.log" >&2; die "dotnet publish failed"; }
  PROXY_CMD="$RUN_DIR/proxy/orleans-proxy"
}

# Keeps the raw sipp statistics (per-interval stat files and final screens) beside the report.
keep_raw() {
  local file relative
  mkdir -p "$RAW_DIR"
  (cd "$RUN_DIR" && find . -name stat.csv -o -name screen.log -o -name '*.tsv' -o -name profile.txt -o -name pair.json) | while read -r relative; do
    file=${relative#./}
    mkdir -p "$RAW_DIR/$(dirname "$file")"
    cp "$RUN_DIR/$file" "$RAW_DIR/$file"
  done
}

# TRANSPORTS: udp and tcp, each at most once; the first is the one soak, profile and failover use.
check_transports() {
  local transport seen=" "
  for transport in $TRANSPORTS; do
    [[ "$transport" == udp || "$transport" == tcp ]] || die "TRANSPORTS: unknown transport $transport (udp or tcp)"
    [[ "$seen" != *" $transport "* ]] || die "TRANSPORTS: $transport twice"
    seen+="$transport "
  done
  [[ -n "$FIRST_TRANSPORT" ]] || die "TRANSPORTS is empty"
}

main() {
  mkdir -p "$RUN_DIR" "$OUT_DIR"
  : >"$RUN_DIR/pids"
  : >"$RUN_DIR/samplers"
  trap stop_everything EXIT
  log "run directory $RUN_DIR"
  check_transports
  install_tools
  build_proxy
  machine_start

  local scenario kind transport name started=()
  # perf names JIT-compiled methods from the runtime's /tmp/perf-PID.map (the profile scenario); with W^X
  # on, the code runs from a double mapping that map does not describe.
  if [[ " $SCENARIOS " == *" profile "* ]]; then
    export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
  fi
  if [[ " $SCENARIOS " =~ \ (soak|capacity|sustained|profile)\  ]]; then
    # Soak and profile use the first transport's stacks; only the capacity ladder needs the others.
    for transport in $TRANSPORTS; do
      [[ "$transport" == "$FIRST_TRANSPORT" || " $SCENARIOS " == *" capacity "* ]] || continue
      for kind in $PROXIES; do
        stack_start "$kind" "$(main_stack "$kind" "$transport")" 0 "$transport"
        started+=("$(main_stack "$kind" "$transport")")
      done
    done
    # The sustained step runs on the ladder's warm stacks, at the capacity the ladder found.
    for scenario in soak capacity sustained profile; do
      [[ " $SCENARIOS " == *" $scenario "* ]] && "scenario_$scenario"
    done
    for name in "${started[@]}"; do
      stack_stop "$name"
    done
  fi
  for scenario in cold overload junk; do
    [[ " $SCENARIOS " == *" $scenario "* ]] && "scenario_$scenario"
  done
  [[ " $SCENARIOS " == *" failover "* ]] && scenario_failover
  [[ " $SCENARIOS " == *" takeover "* ]] && scenario_takeover

  machine_end
  local stem
  stem="$(date -u +%Y-%m-%d)-$MACHINE"
  RAW_DIR="$OUT_DIR/$stem"
  keep_raw
  write_report "$OUT_DIR/$stem.md"
  log "results: $OUT_DIR/$stem.md"
  sed -n '/^## Summary/,/^## Capacity ladder/p' "$OUT_DIR/$stem.md" | sed '$d'
}

main "$@"
