# The benchmark scenarios. Each appends tab-separated rows to a file in $RUN_DIR that report.sh turns
# into the results table. Sourced, not run.

# One bounded load step against a stack: RATE calls/s for SECONDS from UACS callers. Prints
# "offered successful failed wall_s proxy_cpu_s uac_share uas_share p50 p95 p99 max unexpected p999 refused"
# (refused: calls answered 503; they count as failed too).
load_step() {
  local name=$1 step=$2 rate=$3 seconds=$4 uacs=$5
  local proxy primary dir="$RUN_DIR/$1/$2" cpu0 cpu1 uas0 uas1 t0 t1
  proxy=$(stack_pid "$name" proxy)
  primary=$(stack_pid "$name" primary)
  cpu0=$(tree_cpu_ticks "$proxy")
  uas0=$(tree_cpu_ticks "$primary")
  t0=$(now_ms)
  run_uacs "$dir" "$(stack_port "$name" proxy)" "$rate" "$seconds" "$uacs" "$(stack_transport "$name")"
  t1=$(now_ms)
  cpu1=$(tree_cpu_ticks "$proxy")
  uas1=$(tree_cpu_ticks "$primary")
  local offered successful failed wall rtt
  rtt=$(rtt_percentiles "$dir")
  offered=$(sum_uac_column "$dir" "TotalCallCreated")
  successful=$(successful_calls "$dir")
  failed=$(failed_calls "$dir")
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
  echo "$offered $successful $failed $wall $(ticks_to_seconds $((cpu1 - cpu0)))" \
    "$(max_uac_core_share "$dir" "$wall")" \
    "$(awk -v t=$((uas1 - uas0)) -v hz="$CLK_TCK" -v s="$wall" 'BEGIN { printf "%.2f", t / hz / s }')" \
    "${rtt% *}" "$(unexpected_messages "$dir")" "${rtt##* }" "$(refused_calls "$dir")"
}

# Warm-up, then a bounded soak at a moderate rate: memory at its start and end, and CPU per call at a
# rate every proxy sustains (the steadiest CPU figure of the run). Over the first of TRANSPORTS.
scenario_soak() {
  local kind name pss0 pss1 offered successful failed wall cpu p50 p95 p99 max
  for kind in $PROXIES; do
    name=$(main_stack "$kind" "$FIRST_TRANSPORT")
    log "$name: warm-up, $WARMUP_RATE calls/s for ${WARMUP_SECONDS}s"
    load_step "$name" warmup "$WARMUP_RATE" "$WARMUP_SECONDS" 1 >/dev/null
    pss0=$(tree_pss_kb "$(stack_pid "$name" proxy)")
    log "$name: soak, $SOAK_RATE calls/s for ${SOAK_SECONDS}s"
    read -r offered successful failed wall cpu _ _ p50 p95 p99 max _ < <(load_step "$name" soak "$SOAK_RATE" "$SOAK_SECONDS" 1)
    pss1=$(tree_pss_kb "$(stack_pid "$name" proxy)")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$SOAK_RATE" "$offered" "$successful" "$failed" \
      "$wall" "$cpu" "$pss0" "$pss1" "$p50" "$p95" "$p99" >>"$RUN_DIR/soak.tsv"
  done
}

# The capacity ladder, proxies interleaved step by step so that load from elsewhere on the machine
# hits both alike. A proxy leaves the ladder after its first step under LADDER_STOP % success (lower
# than CAPACITY_FLOOR, so that one noisy step on a shared machine does not end it).
# When a caller used SATURATED of a core or more, the next steps split the rate over one more caller.
# With several TRANSPORTS every proxy runs the ladder over each, all interleaved at each rate (one
# stack per proxy and transport), and each proxy-transport pair leaves the ladder on its own.
scenario_capacity() {
  local kind name rate uacs=$UACS active=" " sampler saturated transport
  for transport in $TRANSPORTS; do
    for kind in $PROXIES; do
      name=$(main_stack "$kind" "$transport")
      active+="$name "
      start_pss_sampler "$(stack_pid "$name" proxy)" "$RUN_DIR/$name/pss.samples" >>"$RUN_DIR/samplers"
    done
  done
  for rate in $RATES; do
    saturated=0
    for transport in $TRANSPORTS; do
      for kind in $PROXIES; do
        name=$(main_stack "$kind" "$transport")
        [[ "$active" == *" $name "* ]] || continue
        log "$name: capacity step $rate calls/s for ${STEP_SECONDS}s over $uacs caller(s)"
        local offered successful failed wall cpu uac_share uas_share p50 p95 p99 max unexpected p999 success
        local before after switchovers logged
        before=$(stack_switchovers "$name")
        read -r offered successful failed wall cpu uac_share uas_share p50 p95 p99 max unexpected p999 _ \
          < <(load_step "$name" "rate-$rate" "$rate" "$STEP_SECONDS" "$uacs")
        # The pair's switchovers during the step (OrleansProxy publishes its counter once a second).
        if [[ "$kind" == orleans ]]; then
          sleep "$SWITCHOVER_SETTLE_S"
          after=$(stack_switchovers "$name")
          read -r switchovers logged < <(switchover_diff "$before" "$after")
        else
          switchovers=n/a logged=n/a
        fi
        success=$(percent "$successful" "$offered")
        # Column 17 stays the transport (report.sh and the smoke test read it); the switchovers follow it, then p99.9.
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$rate" "$uacs" "$offered" \
          "$successful" "$failed" "$success" "$wall" "$cpu" "$uac_share" "$uas_share" "$p50" "$p95" "$p99" "$max" "$unexpected" \
          "$transport" "$switchovers" "$logged" "$p999" >>"$RUN_DIR/capacity.tsv"
        log "$name: $rate calls/s -> $success % of $offered, proxy CPU ${cpu}s, caller ${uac_share} core, UAS ${uas_share} core, $(switchover_cell "$switchovers" "$logged") pair switchovers"
        if awk -v s="$success" -v f="$LADDER_STOP" 'BEGIN { exit !(s == "n/a" || s < f) }'; then
          active=${active/ $name / }
        fi
        if awk -v u="$uac_share" -v t="$SATURATED" 'BEGIN { exit !(u >= t) }'; then
          saturated=1
        fi
      done
    done
    [[ "$active" =~ [a-z] ]] || break
    if ((saturated && uacs < UACS_MAX)); then
      uacs=$((uacs + 1))
    fi
  done
  while read -r sampler; do
    stop_pid "$sampler"
  done <"$RUN_DIR/samplers"
  for transport in $TRANSPORTS; do
    for kind in $PROXIES; do
      name=$(main_stack "$kind" "$transport")
      printf '%s\t%s\t%s\n' "$kind" "$(max_of_file "$RUN_DIR/$name/pss.samples")" "$transport" >>"$RUN_DIR/peak.tsv"
    done
  done
}

# Failover under steady load: the primary UAS is frozen (SIGSTOP) or killed a third of the way in and
# comes back (SIGCONT, or a new UAS on its port) two thirds in. Reports failed calls, the time from the
# primary's death to the first INVITE at the backup, and where new INVITEs go once the primary is back.
# Over the first of TRANSPORTS.
scenario_failover() {
  local mode kind name
  for mode in $FAILOVER_MODES; do
    for kind in $PROXIES; do
      name="failover-$mode-$kind"
      stack_start "$kind" "$name" 1 "$FIRST_TRANSPORT"
      local third=$((FAILOVER_SECONDS / 3)) dead back settled
      log "$name: $FAILOVER_RATE calls/s for ${FAILOVER_SECONDS}s, primary ${mode} at ${third}s, back at $((2 * third))s"
      run_uacs "$RUN_DIR/$name/load" "$(stack_port "$name" proxy)" "$FAILOVER_RATE" "$FAILOVER_SECONDS" 1 "$FIRST_TRANSPORT" &
      local load=$!
      sleep "$third"
      dead=$(now_ms)
      if [[ "$mode" == freeze ]]; then
        kill -STOP "$(stack_pid "$name" primary)"
      else
        kill -KILL "$(stack_pid "$name" primary)"
      fi
      sleep "$third"
      back=$(now_ms)
      if [[ "$mode" == freeze ]]; then
        kill -CONT "$(stack_pid "$name" primary)"
      else
        stack_restart_uas "$name" primary 1
      fi
      wait "$load" || true
      # New calls are counted once both proxies have had time to see the primary answer again.
      settled=$((back + (PROBE_FAILURES + 1) * PROBE_INTERVAL_S * 1000))
      local first detection primary_log backup_log to_primary to_backup
      backup_log="$RUN_DIR/$name/backup/messages.log"
      primary_log="$RUN_DIR/$name/primary/messages.log"
      [[ "$mode" == kill ]] && primary_log="$RUN_DIR/$name/primary-again/messages.log"
      first=$(first_invite_after "$backup_log" "$dead")
      detection=$([[ -n "$first" ]] && echo $((first - dead)) || echo "n/a")
      to_primary=$(invites_after "$primary_log" "$settled")
      to_backup=$(invites_after "$backup_log" "$settled")
      stack_stop "$name"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$kind" \
        "$(sum_uac_column "$RUN_DIR/$name/load" "TotalCallCreated")" \
        "$(successful_calls "$RUN_DIR/$name/load")" \
        "$(failed_calls "$RUN_DIR/$name/load")" \
        "$detection" "$to_primary" "$to_backup" >>"$RUN_DIR/failover.tsv"
      log "$name: detection ${detection} ms, failed $(failed_calls "$RUN_DIR/$name/load"), after return primary $to_primary / backup $to_backup INVITEs"
    done
  done
}

# One line per thread of PID: its id, its CPU ticks (user + system) so far, and its name (which may hold spaces).
thread_ticks() {
  local task
  for task in /proc/"$1"/task/*; do
    # The name is in parentheses and may hold spaces: the ticks are counted from the last ")".
    awk -v tid="${task##*/}" -v name="$(cat "$task/comm" 2>/dev/null)" \
      '{ sub(/^.*\) /, ""); print tid "\t" $12 + $13 "\t" name }' "$task/stat" 2>/dev/null || true
  done
}

# Cores each thread name used between two thread_ticks snapshots WALL seconds apart, busiest first.
thread_cores() {
  local before=$1 after=$2 wall=$3
  awk -F'\t' -v wall="$wall" -v hz="$(getconf CLK_TCK)" '
    FNR == NR { start[$1] = $2; next }
    { used = $2 - ($1 in start ? start[$1] : 0); cores[$3] += used / hz / wall; threads[$3]++ }
    END { for (n in cores) printf "%.2f\t%s [%d]\n", cores[n], n, threads[n] }' "$before" "$after" | sort -rn | head -12
}

# Where OrleansProxy's time goes at PROFILE_RATE: dotnet-counters (GC, allocations, thread pool), a
# dotnet-trace sample over one load step reduced to the top methods (exclusive and inclusive; it samples
# every thread, waiting ones too), and, where perf is installed, perf's CPU samples of the same step, which
# count only the time on a core (run.sh starts the proxy with DOTNET_PerfMapEnabled=1 and W^X off, so that
# perf finds the JIT-compiled methods in /tmp/perf-PID.map).
# Not in the default SCENARIOS: it perturbs the figures it explains.
scenario_profile() {
  local name dir="$RUN_DIR/profile" pid seconds=$PROFILE_SECONDS tool
  name=$(main_stack orleans "$FIRST_TRANSPORT")
  for tool in dotnet-trace dotnet-counters; do
    command -v "$tool" >/dev/null || die "$tool is missing: dotnet tool install -g $tool"
  done
  mkdir -p "$dir"
  pid=$(stack_pid "$name" proxy)
  # dotnet-trace runs orleans-proxy's apphost; a PROXY_CMD of "dotnet x.dll" is traced the same way.
  log "$name: warm-up, then profile at $PROFILE_RATE calls/s for ${seconds}s"
  load_step "$name" profile-warmup "$PROFILE_RATE" "$WARMUP_SECONDS" 1 >/dev/null
  dotnet-counters collect -p "$pid" --duration "00:00:00:$((seconds + 2))" --format csv -o "$dir/counters.csv" \
    --counters System.Runtime >"$dir/counters.log" 2>&1 &
  local counters=$!
  dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time --duration "00:00:00:$((seconds + 2))" \
    -o "$dir/trace.nettrace" >"$dir/trace.log" 2>&1 &
  local trace=$! perf=""
  if command -v perf >/dev/null; then
    perf record -F 499 -p "$pid" -o "$dir/perf.data" -- sleep $((seconds + 2)) >"$dir/perf.log" 2>&1 &
    perf=$!
  fi
  sleep 1
  local offered successful failed wall cpu p50 p95 p99 max
  thread_ticks "$pid" >"$dir/threads.before"
  read -r offered successful failed wall cpu _ _ p50 p95 p99 max _ < <(load_step "$name" profile "$PROFILE_RATE" "$seconds" 1)
  thread_ticks "$pid" >"$dir/threads.after"
  wait "$counters" "$trace" $perf || true
  {
    echo "profile of OrleansProxy at $PROFILE_RATE calls/s for ${seconds}s: $successful of $offered calls, proxy CPU ${cpu}s, INVITE to 200 p50/p95/p99 $p50/$p95/$p99 ms"
    echo
    echo "## top methods by exclusive samples"
    dotnet-trace report "$dir/trace.nettrace" topN -n 30 2>&1
    echo
    echo "## top methods by inclusive samples"
    dotnet-trace report "$dir/trace.nettrace" topN -n 40 --inclusive 2>&1
    echo
    if [[ -n "$perf" ]]; then
      echo "## CPU by symbol (perf, samples on a core only; share of the process's samples)"
      perf report -i "$dir/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep '%' | head -12 || true
      echo
      # One line per symbol, without perf's padding and the assembly names of every type.
      perf report -i "$dir/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -v '^#' | grep '%' \
        | sed 's/  */ /g; s/\[[A-Za-z][A-Za-z.-]*\]//g; s/ - - *$//' | cut -c1-200 | head -45 || true
      echo
    fi
    # Whether one thread is the bound: a thread at 1.00 core is, two cores shared among many are not.
    echo "## CPU by thread name over the step (cores; threads of one name summed, their count in brackets)"
    thread_cores "$dir/threads.before" "$dir/threads.after" "$wall" || true
    echo
    echo "## System.Runtime counters (mean over the step)"
    awk -F',' 'NR > 1 { sum[$3] += $NF; n[$3]++ } END { for (c in sum) printf "%s: %.2f\n", c, sum[c] / n[c] }' "$dir/counters.csv" 2>/dev/null | sort
  } >"$dir/profile.txt"
}

# Takeover of a realistic HA pair (bench/lib/pair.sh): the backup is a hot standby that takes no calls
# (silent, or 503 to everything) until TAKEOVER_DELAY_S after the primary died. For every standby kind and
# every kind of death, each proxy in turn fronts a pair of its own under TAKEOVER_RATE calls/s held
# TAKEOVER_CALL_HOLD_S each, for TAKEOVER_SECONDS; the primary dies TAKEOVER_DIE_AFTER_S after the load's
# first INVITE. Reports failed calls, the takeover to the first INVITE at the new active (the pair's own
# report), requests sent to a standby, and switchovers. Over UDP (the pair is UDP only).
scenario_takeover() {
  local standby death kind name dir
  choose_pair
  log "takeover: the pair is $PAIR_IMPL"
  echo "$PAIR_IMPL" >"$RUN_DIR/takeover.pair"
  for standby in $TAKEOVER_STANDBYS; do
    for death in $TAKEOVER_DEATHS; do
      for kind in $PROXIES; do
        name="takeover-$standby-$death-$kind"
        dir="$RUN_DIR/$name"
        mkdir -p "$dir"
        echo "$kind" >"$dir/kind"
        echo udp >"$dir/transport"
        free_port >"$dir/primary.port"
        free_port >"$dir/backup.port"
        free_port >"$dir/proxy.port"
        start_pair "$name" "$(cat "$dir/primary.port")" "$(cat "$dir/backup.port")" "$standby" "$death" \
          "$(cat "$dir/proxy.port")" >"$dir/pair.pid"
        cat "$dir/pair.pid" >>"$RUN_DIR/pids"
        wait_for 30 pair_ready "$name" || { tail -20 "$dir/pair.log" >&2; die "$name: the pair did not bind its ports"; }
        start_proxy "$kind" "$name/proxy" "$(cat "$dir/proxy.port")" \
          "$(cat "$dir/primary.port")" "$(cat "$dir/backup.port")" udp takeover >"$dir/proxy.pid"
        cat "$dir/proxy.pid" >>"$RUN_DIR/pids"
        log "$name: $TAKEOVER_RATE calls/s held ${TAKEOVER_CALL_HOLD_S}s for ${TAKEOVER_SECONDS}s; primary dies ($death) at ${TAKEOVER_DIE_AFTER_S}s, the $standby standby takes over ${TAKEOVER_DELAY_S}s later"
        local before after
        before=$(stack_switchovers "$name")
        run_uacs "$dir/load" "$(cat "$dir/proxy.port")" "$TAKEOVER_RATE" "$TAKEOVER_SECONDS" 1 udp \
          $((TAKEOVER_CALL_HOLD_S * 1000))
        # The proxy publishes its switchover counter once a second.
        sleep "$SWITCHOVER_SETTLE_S"
        after=$(stack_switchovers "$name")
        # SIGTERM: the pair writes its report and exits; stop_pid waits for it (bounded).
        stop_pid "$(cat "$dir/pair.pid")"
        stop_pid "$(cat "$dir/proxy.pid")"
        local switchovers logged report="$dir/pair.json"
        read -r switchovers logged < <(switchover_diff "$before" "$after")
        [[ "$kind" == kamailio ]] && switchovers=$(kamailio_switchovers "$name")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$standby" "$death" "$kind" \
          "$(sum_uac_column "$dir/load" "TotalCallCreated")" \
          "$(successful_calls "$dir/load")" \
          "$(failed_calls "$dir/load")" \
          "$(pair_field "$report" firstInviteAfterTakeoverMs)" \
          "$(pair_field "$report" requestsToStandby)" \
          "$(pair_field "$report" optionsToStandby)" \
          "$switchovers" \
          "$(pair_field "$report" byesForOtherMembersDialogs)" \
          "$(pair_field "$report" unknownDialog481)" \
          "$(pair_field "$report" invitesAnswered)" \
          "$(pair_field "$report" byesAnswered)" "$logged" >>"$RUN_DIR/takeover.tsv"
        log "$name: failed $(failed_calls "$dir/load") of $(sum_uac_column "$dir/load" "TotalCallCreated"), takeover to first INVITE $(pair_field "$report" firstInviteAfterTakeoverMs) ms, $(pair_field "$report" requestsToStandby) requests to a standby, $(switchover_cell "$switchovers" "$logged") switchovers"
      done
    done
  done
}
