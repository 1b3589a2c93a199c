# One stack under test: two sipp UAS (primary, backup) on loopback and one proxy fronting them.
# A stack lives in $RUN_DIR/NAME; its pids and ports are files there, so subshells can read them.
# Sourced, not run.

# The capacity ladder's (and soak's) stack of KIND over TRANSPORT: main-KIND over UDP, as in a UDP-only
# run, main-KIND-TRANSPORT otherwise.
main_stack() {
  if [[ "$2" == udp ]]; then echo "main-$1"; else echo "main-$1-$2"; fi
}

# stack_start KIND NAME [TRACE] [TRANSPORT]: KIND is orleans or kamailio; TRACE=1 records the UAS messages;
# TRANSPORT (udp or tcp, default udp) is what the proxy listens on and reaches both UAS over.
stack_start() {
  local kind=$1 name=$2 trace=${3:-0} transport=${4:-udp} dir="$RUN_DIR/$2"
  mkdir -p "$dir"
  echo "$kind" >"$dir/kind"
  echo "$transport" >"$dir/transport"
  free_port >"$dir/primary.port"
  free_port >"$dir/backup.port"
  free_port >"$dir/proxy.port"
  start_uas "$name/primary" "$(cat "$dir/primary.port")" "$trace" "$transport" >"$dir/primary.pid"
  start_uas "$name/backup" "$(cat "$dir/backup.port")" "$trace" "$transport" >"$dir/backup.pid"
  cat "$dir/primary.pid" "$dir/backup.pid" >>"$RUN_DIR/pids"
  start_proxy "$kind" "$name/proxy" "$(cat "$dir/proxy.port")" \
    "$(cat "$dir/primary.port")" "$(cat "$dir/backup.port")" "$transport" >"$dir/proxy.pid"
  cat "$dir/proxy.pid" >>"$RUN_DIR/pids"
  log "$name: $kind on $transport 127.0.0.1:$(cat "$dir/proxy.port"), primary :$(cat "$dir/primary.port"), backup :$(cat "$dir/backup.port")"
}

stack_pid() { cat "$RUN_DIR/$1/$2.pid"; }

stack_port() { cat "$RUN_DIR/$1/$2.port"; }

stack_transport() { cat "$RUN_DIR/$1/transport"; }

stack_stop() {
  local dir="$RUN_DIR/$1" role
  for role in proxy primary backup; do
    stop_pid "$(cat "$dir/$role.pid" 2>/dev/null)"
  done
}

# Restarts a UAS on its old port, as a server that comes back after a crash.
stack_restart_uas() {
  local name=$1 role=$2 trace=${3:-0} dir="$RUN_DIR/$1"
  start_uas "$name/$role-again" "$(cat "$dir/$role.port")" "$trace" "$(cat "$dir/transport")" >"$dir/$role.pid"
  cat "$dir/$role.pid" >>"$RUN_DIR/pids"
}

# Stops every process this run started, by pid; the EXIT trap of run.sh.
stop_everything() {
  local pid
  [[ -f "$RUN_DIR/pids" ]] || return 0
  while read -r pid; do
    stop_pid "$pid"
  done <"$RUN_DIR/pids"
}
