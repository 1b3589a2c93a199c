# Shared helpers for bench/run.sh: ports, processes, CPU and memory from /proc. Sourced, not run.

CLK_TCK=$(getconf CLK_TCK)

log() { printf '%s bench: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

die() { log "error: $*"; exit 1; }

now_ms() { date +%s%3N; }

# Whether any UDP or TCP socket (IPv4 or IPv6) uses PORT, read from /proc so that no tool is needed.
port_in_use() {
  grep -qi ":$(printf '%04X' "$1") " /proc/net/udp /proc/net/udp6 /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# A port free for UDP and TCP on loopback. Random probing, bounded: callers run in parallel with tests.
free_port() {
  local attempt port
  for attempt in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! port_in_use "$port" && ! grep -qx "$port" "$RUN_DIR/ports.taken" 2>/dev/null; then
      echo "$port" >>"$RUN_DIR/ports.taken"
      echo "$port"
      return 0
    fi
  done
  die "no free port after 200 attempts"
}

# The pid and every descendant, one per line (kamailio forks its workers).
proc_tree() {
  local root=$1 pid
  [[ -d /proc/$root ]] || return 0
  echo "$root"
  for pid in $(cat /proc/"$root"/task/*/children 2>/dev/null); do
    proc_tree "$pid"
  done
}

# utime + stime of the whole tree, in clock ticks.
tree_cpu_ticks() {
  local total=0 pid stat
  for pid in $(proc_tree "$1"); do
    stat=$(cat /proc/"$pid"/stat 2>/dev/null) || continue
    # Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    stat=${stat##*) }
    set -- $stat
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}

ticks_to_seconds() { awk -v t="$1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }'; }

# Proportional set size of the tree in KiB: shared memory (kamailio's shm) is counted once, not per worker.
tree_pss_kb() {
  local total=0 pid kb
  for pid in $(proc_tree "$1"); do
    kb=$(awk '/^Pss:/ { print $2; exit }' /proc/"$pid"/smaps_rollup 2>/dev/null) || continue
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

# Samples the tree's PSS every second into FILE until the tree is gone or the sampler is stopped; prints the
# sampler's pid. Redirect that to a file rather than capture it with $(...), which would wait for the sampler.
start_pss_sampler() {
  local root=$1 file=$2
  (
    while [[ -d /proc/$root ]]; do
      tree_pss_kb "$root" >>"$file"
      sleep 1
    done
  ) &
  echo $!
}

max_of_file() { awk 'BEGIN { m = 0 } $1 > m { m = $1 } END { print m }' "$1"; }

# Stops one process by pid: TERM, then KILL after a bounded wait.
stop_pid() {
  local pid=$1 i
  [[ -n "$pid" && -d /proc/$pid ]] || return 0
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    [[ -d /proc/$pid ]] || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Waits until CONDITION (a command) succeeds, polling every 0.2 s for at most SECONDS.
wait_for() {
  local seconds=$1 i
  shift
  for i in $(seq 1 $((seconds * 5))); do
    "$@" && return 0
    sleep 0.2
  done
  return 1
}

# GET PATH from the HTTP server on 127.0.0.1:PORT, without curl; prints the response.
http_get() {
  local port=$1 path=$2
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$1" >&3 && cat <&3' "$port" "$path" 2>/dev/null
}

percent() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", 100 * a / b }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
