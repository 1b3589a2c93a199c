# The two proxies under test, started the same way: NAME LISTEN_PORT PRIMARY_PORT BACKUP_PORT TRANSPORT
# [PROFILE], in the foreground of a background job, each stopped by its own pid. TRANSPORT (udp or tcp) is
# what the proxy listens on and reaches the pair over. PROFILE "takeover" configures each for a hot-standby
# pair whose members share dialog state (the takeover scenario). Sourced, not run.

# How both proxies probe the pair, and what is appended to OrleansProxy's command line, unless the caller set them.
: "${PROBE_INTERVAL_S:=1}"
: "${PROBE_FAILURES:=2}"
: "${PROBE_TIMEOUT_MS:=900}"
: "${TAKEOVER_HOLD_MS:=}"
: "${PROXY_ARGS:=}"

# OrleansProxy: the published orleans-proxy (or PROXY_CMD), probing like Kamailio's dispatcher.
# PROXY_ARGS is appended last, so it can override any key (e.g. --Proxy:Mode=stateful).
start_orleans() {
  local name=$1 port=$2 primary=$3 backup=$4 transport=${5:-udp} profile=${6:-} dir="$RUN_DIR/$1"
  local admin silo member="" extra=()
  # A member without a prefix is UDP; both members share the listener's transport.
  [[ "$transport" == udp ]] || member="$transport://"
  # The hold while no member serves (Proxy:Failover:HoldMs) keeps the proxy's default unless set: the key
  # comes with the core rewrite of issue 12, and today's proxy rejects keys it does not know.
  if [[ "$profile" == takeover && -n "$TAKEOVER_HOLD_MS" ]]; then
    extra+=("--Proxy:Failover:HoldMs=$TAKEOVER_HOLD_MS")
  fi
  admin=$(free_port)
  silo=$(free_port)
  mkdir -p "$dir"
  echo "$admin" >"$dir/admin.port"
  # shellcheck disable=SC2086 # PROXY_CMD and PROXY_ARGS are word lists on purpose.
  $PROXY_CMD \
    "--Proxy:Listen:0=$transport://127.0.0.1:$port" \
    "--Proxy:Pairs:0:Name=main" \
    "--Proxy:Pairs:0:Primary=${member}127.0.0.1:$primary" \
    "--Proxy:Pairs:0:Backup=${member}127.0.0.1:$backup" \
    "--Proxy:Admin:Url=http://127.0.0.1:$admin" \
    "--Proxy:Cluster:SiloPort=$silo" \
    "--Proxy:Probe:IntervalMs=$((PROBE_INTERVAL_S * 1000))" \
    "--Proxy:Probe:TimeoutMs=$PROBE_TIMEOUT_MS" \
    "--Proxy:Probe:FailuresToDown=$PROBE_FAILURES" \
    "${extra[@]}" $PROXY_ARGS >"$dir/proxy.log" 2>&1 </dev/null &
  echo $!
}

# Ready when the admin API reports the primary up and active.
orleans_ready() {
  local dir="$RUN_DIR/$1"
  http_get "$(cat "$dir/admin.port")" /api/pairs/main | grep -qi '"available": *true'
}

start_kamailio() {
  local name=$1 port=$2 primary=$3 backup=$4 transport=${5:-udp} profile=${6:-} dir="$RUN_DIR/$1"
  local uri_params="" defines=()
  # A shared-state pair: in-dialog requests addressed to either member go to the active one (kamailio.cfg).
  [[ "$profile" == takeover ]] && defines+=(-A PAIR_SHARES_DIALOGS)
  mkdir -p "$dir"
  echo "$port" >"$dir/listen.port"
  # Over TCP the config listens on TCP only (-A TCP) and the dispatcher reaches the pair with ;transport=tcp.
  if [[ "$transport" == tcp ]]; then
    uri_params=";transport=tcp"
    defines+=(-A TCP)
  fi
  # One set, primary first: algorithm 8 takes the active destination of highest priority.
  printf '1 sip:127.0.0.1:%s%s 0 10 primary\n1 sip:127.0.0.1:%s%s 0 5 backup\n' \
    "$primary" "$uri_params" "$backup" "$uri_params" >"$dir/dispatcher.list"
  kamailio -DD -E -f "$BENCH_DIR/kamailio/kamailio.cfg" -P "$dir/kamailio.pid" -w "$dir" "${defines[@]}" \
    -m "$KAMAILIO_SHM_MB" -M "$KAMAILIO_PKG_MB" \
    -A "LISTEN_PORT=$port" -A "DS_LIST=\"$dir/dispatcher.list\"" \
    -A "PING_S=$PROBE_INTERVAL_S" -A "PING_FAILS=$PROBE_FAILURES" \
    -A "FR_TIMER_MS=$KAMAILIO_FR_TIMER_MS" -A "CHILDREN=$KAMAILIO_CHILDREN" \
    >"$dir/proxy.log" 2>&1 </dev/null &
  echo $!
}

# Kamailio has no status API loaded: ready once its workers listen (start_proxy then waits a probe round).
kamailio_ready() {
  local dir="$RUN_DIR/$1"
  [[ -s "$dir/kamailio.pid" ]] && port_in_use "$(cat "$dir/listen.port")"
}

# start_proxy KIND NAME LISTEN PRIMARY BACKUP [TRANSPORT [PROFILE]]: starts it, waits until it serves;
# prints its pid.
start_proxy() {
  local kind=$1 name=$2 pid
  pid=$("start_$kind" "$name" "$3" "$4" "$5" "${6:-udp}" "${7:-}")
  if ! wait_for 60 "${kind}_ready" "$name"; then
    tail -20 "$RUN_DIR/$name/proxy.log" >&2
    stop_pid "$pid"
    die "$kind did not become ready within 60 s (log: $RUN_DIR/$name/proxy.log)"
  fi
  # Let a full probe round pass for both proxies alike before traffic.
  sleep $((PROBE_INTERVAL_S * PROBE_FAILURES))
  echo "$pid"
}
