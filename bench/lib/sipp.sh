# sipp roles for bench/run.sh: the two UAS of the HA pair and the UAC callers. Sourced, not run.

SCENARIOS_DIR="$BENCH_DIR/scenarios"

# sipp's -t for a transport: one UDP socket, or one TCP connection (a UAS accepts every connection made to it).
sipp_transport() {
  case $1 in udp) echo u1 ;; tcp) echo t1 ;; *) die "no sipp transport for $1" ;; esac
}

# The socket buffers of every sipp (-buff_size): sipp's default leaves a UAS room for about a hundred datagrams, so
# a burst from the proxy in front of it is lost in the UAS's own socket and retransmitted, whichever proxy sent it.
: "${SIPP_BUFFER_BYTES:=4194304}"

# Starts one UAS on 127.0.0.1:PORT in the background; prints its pid. With TRACE=1 every message it
# receives is written with its arrival time, for the failover timing. TRANSPORT: udp (default) or tcp.
start_uas() {
  local name=$1 port=$2 trace=${3:-0} transport=${4:-udp} dir="$RUN_DIR/$1"
  mkdir -p "$dir"
  local args=(-sf "$SCENARIOS_DIR/uas.xml" -i 127.0.0.1 -p "$port" -t "$(sipp_transport "$transport")" -nostdin
    -buff_size "$SIPP_BUFFER_BYTES" -trace_err -error_file "$dir/errors.log" -trace_stat -stf "$dir/stat.csv" -fd 1)
  if [[ "$trace" == 1 ]]; then
    args+=(-trace_msg -message_file "$dir/messages.log")
  fi
  sipp "${args[@]}" >/dev/null 2>"$dir/stderr.log" </dev/null &
  echo $!
}

# Runs UACS sipp callers in parallel against 127.0.0.1:TARGET_PORT, together offering RATE calls/s for
# SECONDS; each is bounded in calls and in time. Writes into DIR: per caller stat.csv, rtt csv, the
# final screen, and cpu (the caller's CPU ticks). Waits for all of them. TRANSPORT: udp (default) or
# tcp, where each caller holds one connection of its own to the proxy and sends every call over it.
# HOLD_MS (default 0): how long each call stays up between its ACK and its BYE.
run_uacs() {
  local dir=$1 target_port=$2 rate=$3 seconds=$4 uacs=$5 transport=${6:-udp} hold_ms=${7:-0} i
  local per_rate per_calls pids=()
  per_rate=$(awk -v r="$rate" -v n="$uacs" 'BEGIN { printf "%.3f", r / n }')
  per_calls=$(awk -v r="$per_rate" -v s="$seconds" 'BEGIN { c = int(r * s + 0.5); print (c < 1 ? 1 : c) }')
  mkdir -p "$dir"
  for i in $(seq 1 "$uacs"); do
    local uac="$dir/uac$i" port
    mkdir -p "$uac"
    port=$(free_port)
    (
      cd "$uac" || exit 1
      # Bounded: -m calls, -timeout for the whole run; INVITE retransmissions give up after 0.5+1+2 s, a silent call after 8 s.
      timeout $((seconds + 60)) sipp -sf "$SCENARIOS_DIR/uac.xml" "127.0.0.1:$target_port" \
        -i 127.0.0.1 -p "$port" -t "$(sipp_transport "$transport")" -nostdin -buff_size "$SIPP_BUFFER_BYTES" \
        -m "$per_calls" -r "$per_rate" -rp 1000 -d "$hold_ms" \
        -default_behaviors all,-abortunexp -max_invite_retrans 3 -max_non_invite_retrans 3 -recv_timeout 8s -timeout $((seconds + 30))s \
        -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 10 \
        -trace_screen -screen_file screen.log -trace_err -error_file errors.log \
        >/dev/null 2>stderr.log </dev/null &
      # The highest sample: once sipp is reaped, the tree is timeout alone and its ticks would read as sipp's.
      local sipp_pid=$! most=0 ticks
      while [[ -d /proc/$sipp_pid ]]; do
        ticks=$(tree_cpu_ticks "$sipp_pid")
        ((ticks > most)) && most=$ticks
        sleep 0.5
      done
      wait "$sipp_pid" || true
      echo "$most" >cpu
    ) &
    pids+=($!)
  done
  for i in "${pids[@]}"; do
    wait "$i" || true
  done
}

# Last value of a column of a sipp -trace_stat file, by header name.
stat_column() {
  local file=$1 column=$2
  awk -F';' -v want="$column" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) col = i; next }
    { last = $col }
    END { print (last == "" ? 0 : last) }' "$file"
}

# Sums a stat column over every caller in DIR.
sum_uac_column() {
  local dir=$1 column=$2 total=0 file value
  for file in "$dir"/uac*/stat.csv; do
    [[ -f "$file" ]] || continue
    value=$(stat_column "$file" "$column")
    total=$((total + value))
  done
  echo "$total"
}

# Calls in DIR that completed: sipp's successful calls less those refused with a 503, which uac.xml ends
# (after its ACK) as sipp successes and counts in GenericCounter1.
successful_calls() {
  echo $(($(sum_uac_column "$1" "SuccessfulCall(C)") - $(refused_calls "$1")))
}

# Calls in DIR that did not complete: sipp's failed calls and the refused ones.
failed_calls() {
  echo $(($(sum_uac_column "$1" "FailedCall(C)") + $(refused_calls "$1")))
}

# Calls in DIR answered 503 (uac.xml's GenericCounter1).
refused_calls() { sum_uac_column "$1" "GenericCounter1(C)"; }

# Messages the callers in DIR received out of scenario order (late provisionals) and let pass.
unexpected_messages() {
  cat "$1"/uac*/errors.log 2>/dev/null | grep -c 'Continuing call on unexpected message' || true
}

# Highest single-caller CPU use in DIR as a fraction of one core over SECONDS of wall time.
max_uac_core_share() {
  local dir=$1 seconds=$2 file max=0 share
  for file in "$dir"/uac*/cpu; do
    share=$(awk -v t="$(cat "$file")" -v hz="$CLK_TCK" -v s="$seconds" 'BEGIN { printf "%.2f", t / hz / s }')
    max=$(awk -v a="$max" -v b="$share" 'BEGIN { print (b > a ? b : a) }')
  done
  echo "$max"
}

# p50 p95 p99 max p99.9 of INVITE-to-200 times (ms) over every caller in DIR, from sipp's -trace_rtt files
# (p99.9 last, so that the columns before it keep their places).
rtt_percentiles() {
  local dir=$1
  cat "$dir"/uac*/*_rtt.csv 2>/dev/null | awk -F';' '$3 == 1 { print $2 }' | sort -n | awk '
    function at(p,   i) { i = int(p * NR); if (i < p * NR) i++; return v[i < 1 ? 1 : i] }
    { v[NR] = $1 }
    END { if (NR == 0) print "n/a n/a n/a n/a n/a"; else print at(0.50), at(0.95), at(0.99), v[NR], at(0.999) }'
}

# Reads a UAS message trace (-trace_msg) and prints "epoch_ms method" for every request it received.
received_requests() {
  local file=$1
  [[ -f "$file" ]] || return 0
  awk '
    /^-+ [0-9][0-9][0-9][0-9]-/ {
      split($2, d, "-"); split($3, t, ":")
      whole = int(t[3])
      stamp = sprintf("%.0f", (mktime(d[1] " " d[2] " " d[3] " " t[1] " " t[2] " " whole) + (t[3] - whole)) * 1000)
      next
    }
    /message received/ { inbound = 1; next }
    /message sent/ { inbound = 0; next }
    inbound && /^[A-Z]+ sip:/ { print stamp, $1; inbound = 0 }' "$file"
}

# Arrival time (epoch ms) of the first INVITE a UAS received at or after FROM_MS; empty if none.
first_invite_after() {
  received_requests "$1" | awk -v from="$2" '$2 == "INVITE" && $1 >= from && !found { print $1; found = 1 }'
}

# INVITEs (first transmissions and retransmissions alike) a UAS received at or after FROM_MS.
invites_after() {
  received_requests "$1" | awk -v from="$2" '$2 == "INVITE" && $1 >= from { n++ } END { print n + 0 }'
}
