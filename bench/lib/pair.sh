# The realistic HA pair of the takeover scenario: a hot standby that takes no calls until it has taken
# over, run by `orleans-proxy simulated-pair` (src/Simulation). Also the OrleansProxy switchover counter
# the takeover and capacity scenarios report.
# Sourced, not run.

# The command that runs the pair: PAIR_CMD if set, else the proxy's own verb. Sets PAIR_CMD and PAIR_IMPL
# (what the results file says was used).
choose_pair() {
  if [[ -n "$PAIR_CMD" ]]; then
    PAIR_IMPL="PAIR_CMD=$PAIR_CMD"
    return 0
  fi
  # shellcheck disable=SC2086 # PROXY_CMD is a word list on purpose.
  timeout 60 $PROXY_CMD --help 2>/dev/null | grep -q 'simulated-pair' \
    || die "$PROXY_CMD has no simulated-pair verb; set PAIR_CMD to a command that runs the pair"
  PAIR_CMD="$PROXY_CMD simulated-pair"
  PAIR_IMPL="orleans-proxy simulated-pair (the proxy's own verb)"
}

# start_pair NAME PRIMARY_PORT BACKUP_PORT STANDBY DEATH PROXY_PORT: starts the pair in the background,
# bounded by --run-for; prints its pid. It writes its JSON report to $RUN_DIR/NAME/pair.json when it stops.
start_pair() {
  local name=$1 primary=$2 backup=$3 standby=$4 death=$5 proxy=$6 dir="$RUN_DIR/$1"
  local run_for=$((TAKEOVER_SECONDS + TAKEOVER_CALL_HOLD_S + 60)) revive=()
  [[ -n "$TAKEOVER_REVIVE_S" ]] && revive=(--revive-after "$TAKEOVER_REVIVE_S")
  mkdir -p "$dir"
  # shellcheck disable=SC2086 # PAIR_CMD is a word list on purpose.
  $PAIR_CMD --primary "127.0.0.1:$primary" --backup "127.0.0.1:$backup" \
    --standby "$standby" --death "$death" --die-after "$TAKEOVER_DIE_AFTER_S" --takeover "$TAKEOVER_DELAY_S" \
    --announce "$TAKEOVER_ANNOUNCE" --proxy "127.0.0.1:$proxy" "${revive[@]}" \
    --run-for "$run_for" --report "$dir/pair.json" >"$dir/pair.log" 2>&1 </dev/null &
  echo $!
}

# Both pair ports bound (the pair is up).
pair_ready() {
  local dir="$RUN_DIR/$1"
  port_in_use "$(cat "$dir/primary.port")" && port_in_use "$(cat "$dir/backup.port")"
}

# pair_field FILE KEY: one top-level value of the pair's JSON report, "n/a" when absent or null.
pair_field() {
  local file=$1 key=$2
  [[ -s "$file" ]] || { echo "n/a"; return; }
  jq -r --arg key "$key" '.[$key] // "n/a" | tostring' "$file" 2>/dev/null || echo "n/a"
}

# Switchovers of OrleansProxy's pair "main" so far, from its metric (summed over the reasons), else the
# length of the admin API's switchover history (which keeps the last 50 only); "n/a" if neither answers.
orleans_switchovers() {
  local port metrics count
  port=$(cat "$RUN_DIR/$1/admin.port")
  metrics=$(http_get "$port" /metrics)
  if [[ "$metrics" == *orleansproxy_* ]]; then
    awk '/^orleansproxy_pair_switchovers_total\{/ && /pair="main"/ { total += $NF } END { printf "%d\n", total }' <<<"$metrics"
    return
  fi
  count=$(http_get "$port" /api/pairs/main | sed '1,/^\r\{0,1\}$/d' | jq -r '.history | length' 2>/dev/null) || count=""
  echo "${count:-n/a}"
}

# stack_switchovers STACK: "METRIC LOG", the switchovers so far of the stack's proxy by its counter and by
# the "switched over" lines of its log; "n/a n/a" for Kamailio. The counter is fed from the pair's history,
# read once a second and keeping the last 50 switchovers, so in a storm of more than 50 a second it
# undercounts; the log has every one.
stack_switchovers() {
  local name=$1 log
  [[ "$(cat "$RUN_DIR/$name/kind")" == orleans ]] || { echo "n/a n/a"; return; }
  log=$(grep -c 'switched over' "$RUN_DIR/$name/proxy/proxy.log" 2>/dev/null || true)
  echo "$(orleans_switchovers "$name/proxy") ${log:-0}"
}

# switchover_diff "BEFORE_METRIC BEFORE_LOG" "AFTER_METRIC AFTER_LOG": "METRIC LOG" over the interval.
switchover_diff() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    for (i = 1; i <= 2; i++) d[i] = (x[i] == "n/a" || y[i] == "n/a" || x[i] == "" || y[i] == "") ? "n/a" : y[i] - x[i]
    print d[1], d[2] }'
}

# switchover_cell METRIC LOG: the counter, and the log's count beside it where the two differ.
switchover_cell() {
  if [[ "$2" == n/a || "$2" == "" || "$1" == "$2" ]]; then echo "$1"; else echo "$1 (log: $2)"; fi
}

# kamailio_switchovers STACK: how often the member Kamailio's dispatcher would send a new call to changed
# from one member to the other, replayed from the dst-up/dst-down lines kamailio.cfg logs (both members
# start active; the first active one in priority order, primary first, takes new calls). A time with no
# active member is no switchover by itself.
kamailio_switchovers() {
  local dir="$RUN_DIR/$1"
  [[ -f "$dir/proxy/proxy.log" ]] || { echo "n/a"; return; }
  awk -v primary="127.0.0.1:$(cat "$dir/primary.port")" -v backup="127.0.0.1:$(cat "$dir/backup.port")" '
    BEGIN { up[primary] = 1; up[backup] = 1; active = primary }
    /bench-pair: dst-(up|down) / {
      state = ($0 ~ /dst-up/) ? 1 : 0
      for (member in up) if (index($0, "sip:" member) && substr($0, index($0, "sip:" member) + length(member) + 4, 1) !~ /[0-9]/) up[member] = state
      now = up[primary] ? primary : (up[backup] ? backup : "")
      if (now != "" && now != active) { switches++; active = now }
    }
    END { print switches + 0 }' "$dir/proxy/proxy.log"
}
