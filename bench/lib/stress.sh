# The scenarios of issue 14 beyond the ladder: a cold node's first step, capacity held for a long step, an
# offer of twice the capacity, and a junk flood beside real calls. Each appends tab-separated rows to a file
# in $RUN_DIR that stress_report.sh turns into tables. Sourced, not run.

# The ladder's capacity of KIND over the first transport as a plain rate; empty when the ladder found none
# (every step failed) or did not run.
ladder_capacity() {
  local capacity
  [[ -f "$RUN_DIR/capacity.tsv" ]] || return 0
  capacity=$(capacity_of "$1")
  [[ "$capacity" == n/a || "$capacity" == "<"* ]] && return 0
  echo "${capacity#>=}"
}

# The callers the ladder used for KIND at RATE (so that a long step splits its load as the ladder did);
# UACS_MAX when the ladder did not run at that rate.
ladder_callers() {
  local callers
  callers=$(step_field "$1" "$FIRST_TRANSPORT" "$2" 3)
  [[ "$callers" == n/a ]] && callers=$UACS_MAX
  echo "$callers"
}

# A fresh node's first step: a new stack per proxy (its node started, ready, one probe round passed), then
# COLD_RATE calls/s for COLD_SECONDS twice: the cold step straight away, then the same step warm.
scenario_cold() {
  local kind name phase
  for kind in $PROXIES; do
    name="cold-$kind"
    stack_start "$kind" "$name" 0 "$FIRST_TRANSPORT"
    for phase in cold warm; do
      log "$name: $phase step, $COLD_RATE calls/s for ${COLD_SECONDS}s"
      local offered successful failed wall cpu uac_share p50 p95 p99 max p999
      read -r offered successful failed wall cpu uac_share _ p50 p95 p99 max _ p999 _ \
        < <(load_step "$name" "$phase" "$COLD_RATE" "$COLD_SECONDS" "$UACS")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$phase" "$COLD_RATE" "$offered" "$successful" \
        "$failed" "$wall" "$cpu" "$p50" "$p99" "$p999" "$max" "$uac_share" >>"$RUN_DIR/cold.tsv"
      log "$name: $phase: $successful of $offered, p99 ${p99} ms, p99.9 ${p999} ms, CPU ${cpu}s"
    done
    stack_stop "$name"
  done
}

# Capacity held: each proxy at its own ladder capacity (or SUSTAINED_RATE) for SUSTAINED_SECONDS on the
# ladder's warm stack, split over as many callers as the ladder used at that rate; peak PSS over the step.
scenario_sustained() {
  local kind name rate callers sampler
  for kind in $PROXIES; do
    name=$(main_stack "$kind" "$FIRST_TRANSPORT")
    rate=${SUSTAINED_RATE:-$(ladder_capacity "$kind")}
    if [[ -z "$rate" ]]; then
      log "$name: no capacity from the ladder and no SUSTAINED_RATE: the sustained step is left out"
      continue
    fi
    callers=$(ladder_callers "$kind" "$rate")
    log "$name: sustained step, $rate calls/s for ${SUSTAINED_SECONDS}s over $callers caller(s)"
    start_pss_sampler "$(stack_pid "$name" proxy)" "$RUN_DIR/$name/sustained-pss.samples" >"$RUN_DIR/$name/sampler.pid"
    sampler=$(cat "$RUN_DIR/$name/sampler.pid")
    local before after switchovers logged
    before=$(stack_switchovers "$name")
    local offered successful failed wall cpu uac_share uas_share p50 p95 p99 max p999
    read -r offered successful failed wall cpu uac_share uas_share p50 p95 p99 max _ p999 _ \
      < <(load_step "$name" "sustained-$rate" "$rate" "$SUSTAINED_SECONDS" "$callers")
    stop_pid "$sampler"
    [[ "$kind" == orleans ]] && sleep "$SWITCHOVER_SETTLE_S"
    after=$(stack_switchovers "$name")
    read -r switchovers logged < <(switchover_diff "$before" "$after")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$rate" "$callers" "$offered" \
      "$successful" "$failed" "$wall" "$cpu" "$p50" "$p99" "$p999" "$max" "$uac_share" "$uas_share" \
      "$(max_of_file "$RUN_DIR/$name/sustained-pss.samples")" "$switchovers" >>"$RUN_DIR/sustained.tsv"
    log "$name: sustained $rate calls/s: $successful of $offered, p99 ${p99} ms, p99.9 ${p999} ms, caller ${uac_share} core"
  done
}

# Twice the capacity offered: a fresh stack per proxy at OVERLOAD_RATE (default twice OrleansProxy's ladder
# capacity, the same offer for both), OrleansProxy with its INVITE cap at OVERLOAD_INVITES_PER_S (default
# its ladder capacity). Goodput, the 503s the callers got, peak PSS and switchovers.
scenario_overload() {
  local capacity rate cap kind name sampler
  capacity=$(ladder_capacity orleans)
  rate=${OVERLOAD_RATE:-${capacity:+$((2 * capacity))}}
  cap=${OVERLOAD_INVITES_PER_S:-$capacity}
  if [[ -z "$rate" || -z "$cap" ]]; then
    log "overload: no OrleansProxy capacity from the ladder and no OVERLOAD_RATE/OVERLOAD_INVITES_PER_S: left out"
    return 0
  fi
  echo "$rate $cap" >"$RUN_DIR/overload.settings"
  for kind in $PROXIES; do
    name="overload-$kind"
    if [[ "$kind" == orleans ]]; then
      PROXY_ARGS="$PROXY_ARGS --Proxy:Overload:InvitesPerSecond=$cap" stack_start "$kind" "$name" 0 "$FIRST_TRANSPORT"
    else
      stack_start "$kind" "$name" 0 "$FIRST_TRANSPORT"
    fi
    start_pss_sampler "$(stack_pid "$name" proxy)" "$RUN_DIR/$name/pss.samples" >"$RUN_DIR/$name/sampler.pid"
    sampler=$(cat "$RUN_DIR/$name/sampler.pid")
    local before after switchovers logged
    before=$(stack_switchovers "$name")
    log "$name: $rate calls/s offered for ${OVERLOAD_SECONDS}s over $UACS_MAX callers"
    local offered successful failed wall cpu uac_share p99 p999 refused
    read -r offered successful failed wall cpu uac_share _ _ _ p99 _ _ p999 refused \
      < <(load_step "$name" overload "$rate" "$OVERLOAD_SECONDS" "$UACS_MAX")
    stop_pid "$sampler"
    [[ "$kind" == orleans ]] && sleep "$SWITCHOVER_SETTLE_S"
    after=$(stack_switchovers "$name")
    read -r switchovers logged < <(switchover_diff "$before" "$after")
    stack_stop "$name"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$rate" "$offered" "$successful" "$failed" \
      "$refused" "$wall" "$cpu" "$p99" "$p999" "$(max_of_file "$RUN_DIR/$name/pss.samples")" "$switchovers" "$uac_share" \
      "$(ladder_capacity "$kind")" >>"$RUN_DIR/overload.tsv"
    log "$name: $successful of $offered completed, $refused refused with 503, $(switchover_cell "$switchovers" "$logged") switchovers"
  done
}

# A junk flood beside real calls: JUNK_RATE datagrams/s of junk (lib/junk.py) from 127.0.0.2 for JUNK_SECONDS
# while JUNK_CALL_RATE calls/s go on from 127.0.0.1, a fresh stack per proxy. OrleansProxy limits each source to
# JUNK_SOURCE_LIMIT messages/s (Proxy:Overload:PerSourceMessagesPerSecond, its pike). Calls completed, the bytes
# the proxy logged during the flood, and its CPU.
scenario_junk() {
  local kind name flood log_file log0 log1 cpu0 cpu1 t0 t1
  for kind in $PROXIES; do
    name="junk-$kind"
    if [[ "$kind" == orleans ]]; then
      PROXY_ARGS="$PROXY_ARGS --Proxy:Overload:PerSourceMessagesPerSecond=$JUNK_SOURCE_LIMIT" \
        stack_start "$kind" "$name" 0 "$FIRST_TRANSPORT"
    else
      stack_start "$kind" "$name" 0 "$FIRST_TRANSPORT"
    fi
    log_file="$RUN_DIR/$name/proxy/proxy.log"
    log0=$(stat -c %s "$log_file")
    cpu0=$(tree_cpu_ticks "$(stack_pid "$name" proxy)")
    t0=$(now_ms)
    log "$name: $JUNK_RATE junk datagrams/s from 127.0.0.2 and $JUNK_CALL_RATE calls/s for ${JUNK_SECONDS}s"
    timeout $((JUNK_SECONDS + 20)) python3 "$BENCH_DIR/lib/junk.py" 127.0.0.1 "$(stack_port "$name" proxy)" \
      "$JUNK_RATE" "$JUNK_SECONDS" 127.0.0.2 >"$RUN_DIR/$name/junk.out" 2>&1 &
    flood=$!
    echo "$flood" >>"$RUN_DIR/pids"
    run_uacs "$RUN_DIR/$name/calls" "$(stack_port "$name" proxy)" "$JUNK_CALL_RATE" "$JUNK_SECONDS" 1 "$FIRST_TRANSPORT"
    wait "$flood" || true
    t1=$(now_ms)
    cpu1=$(tree_cpu_ticks "$(stack_pid "$name" proxy)")
    log1=$(stat -c %s "$log_file")
    stack_stop "$name"
    local sent
    sent=$(awk '/^sent/ { print $2 }' "$RUN_DIR/$name/junk.out")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "${sent:-0}" \
      "$(sum_uac_column "$RUN_DIR/$name/calls" "TotalCallCreated")" "$(successful_calls "$RUN_DIR/$name/calls")" \
      "$((log1 - log0))" "$(ticks_to_seconds $((cpu1 - cpu0)))" \
      "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }')" "$JUNK_RATE" "$JUNK_CALL_RATE" >>"$RUN_DIR/junk.tsv"
    log "$name: $(successful_calls "$RUN_DIR/$name/calls") of $(sum_uac_column "$RUN_DIR/$name/calls" "TotalCallCreated") calls completed beside ${sent:-0} junk datagrams; $((log1 - log0)) bytes logged"
  done
}
