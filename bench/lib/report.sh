# Turns the scenario rows in $RUN_DIR into the Markdown results: one row per figure, columns
# OrleansProxy, Kamailio and their ratio, then the detail of every step. Sourced, not run.

label() { case $1 in orleans) echo OrleansProxy ;; kamailio) echo Kamailio ;; *) echo "$1" ;; esac; }

# field FILE KEY_COLUMNS... COLUMN: the value of COLUMN in the first row whose leading columns match.
field() {
  local file=$1 column=${*: -1}
  local keys=("${@:2:$#-2}")
  [[ -f "$file" ]] || { echo "n/a"; return; }
  awk -F'\t' -v col="$column" -v keys="${keys[*]}" '
    BEGIN { n = split(keys, k, " ") }
    { for (i = 1; i <= n; i++) if ($i != k[i]) next; print $col; found = 1; exit }
    END { if (!found) print "n/a" }' "$file"
}

per_thousand() { awk -v c="$1" -v n="$2" 'BEGIN { if (c == "n/a" || n == "n/a" || n == 0) print "n/a"; else printf "%.3f", 1000 * c / n }'; }

mib() { awk -v k="$1" 'BEGIN { if (k == "n/a" || k == "") print "n/a"; else printf "%.1f", k / 1024 }'; }

# Highest ladder rate at which KIND kept CAPACITY_FLOOR % success over TRANSPORT (default: the first of
# TRANSPORTS): ">=" when it passed every step it ran, "<" the lowest rate when it passed none.
capacity_of() {
  local kind=$1 transport=${2:-$FIRST_TRANSPORT}
  awk -F'\t' -v kind="$kind" -v transport="$transport" -v floor="$CAPACITY_FLOOR" '
    $1 != kind || $17 != transport { next }
    $7 != "n/a" && $7 >= floor && $2 > best { best = $2 }
    { if ($7 == "n/a" || $7 < floor) failed = 1; if (lowest == "" || $2 < lowest) lowest = $2 }
    END { if (lowest == "") print "n/a"; else if (best == "") print "<" lowest; else if (!failed) print ">=" best; else print best }' "$RUN_DIR/capacity.tsv"
}

# Highest rate that every proxy passed over every given transport (default: the first of TRANSPORTS):
# the step where CPU and latency are compared like for like.
common_rate() {
  local transports=${*:-$FIRST_TRANSPORT}
  awk -F'\t' -v floor="$CAPACITY_FLOOR" -v lanes="$(($(echo $PROXIES | wc -w) * $(echo $transports | wc -w)))" \
    -v transports=" $transports " '
    index(transports, " " $17 " ") && $7 != "n/a" && $7 >= floor { ok[$2]++ }
    END { for (r in ok) if (ok[r] == lanes && r + 0 > best + 0) best = r; print (best == "" ? "n/a" : best) }' "$RUN_DIR/capacity.tsv"
}

# step_field KIND TRANSPORT RATE COLUMN: a column of the ladder step of KIND over TRANSPORT at RATE.
step_field() {
  [[ -f "$RUN_DIR/capacity.tsv" ]] || { echo "n/a"; return; }
  awk -F'\t' -v kind="$1" -v transport="$2" -v rate="$3" -v col="$4" '
    $1 == kind && $17 == transport && $2 == rate { print $col; found = 1; exit }
    END { if (!found) print "n/a" }' "$RUN_DIR/capacity.tsv"
}

# peak_of KIND TRANSPORT: the peak PSS (KiB) of KIND's proxy over TRANSPORT during the ladder.
peak_of() {
  [[ -f "$RUN_DIR/peak.tsv" ]] || { echo "n/a"; return; }
  awk -F'\t' -v kind="$1" -v transport="$2" '
    $1 == kind && $3 == transport { print $2; found = 1; exit }
    END { if (!found) print "n/a" }' "$RUN_DIR/peak.tsv"
}

# ladder_switchovers KIND [TRANSPORT]: the pair switchovers over every ladder step of KIND over TRANSPORT
# (default: the first of TRANSPORTS), with the worst step; "n/a" when not counted (Kamailio).
ladder_switchovers() {
  local kind=$1 transport=${2:-$FIRST_TRANSPORT}
  awk -F'\t' -v kind="$kind" -v transport="$transport" '
    $1 != kind || $17 != transport { next }
    $18 == "" || $18 == "n/a" { next }
    # The log counts every switchover; the counter may miss some in a storm (lib/pair.sh).
    { n = ($19 != "" && $19 != "n/a" && $19 > $18) ? $19 : $18
      total += n; if (worst == "" || n > worst) { worst = n; at = $2 } }
    END { if (worst == "") print "n/a"; else printf "%d (most in one step: %d, at %s calls/s)\n", total, worst, at }' "$RUN_DIR/capacity.tsv"
}

upper() { tr '[:lower:]' '[:upper:]' <<<"$1"; }

# The transports side by side, per proxy: one column per transport, then each other transport's ratio to
# the first (TCP/UDP). CPU and latency at the highest rate every proxy passed over every transport.
transport_table() {
  local rate first=$FIRST_TRANSPORT kind transport other figure values ratios value base
  local others=()
  for transport in $TRANSPORTS; do
    [[ "$transport" == "$first" ]] || others+=("$transport")
  done
  rate=$(common_rate $TRANSPORTS)
  echo
  echo "## Transports side by side"
  echo
  echo "Every proxy ran the capacity ladder over each of \`$TRANSPORTS\`, all interleaved at each rate (one stack"
  echo "per proxy and transport: the proxy listens on the transport and reaches both UAS over it, the callers"
  echo "use it). Over TCP each sipp caller holds one connection to the proxy and the proxy one to each UAS."
  if [[ "$rate" == n/a ]]; then
    echo "No rate passed $CAPACITY_FLOOR % for every proxy and transport: CPU and latency are at the first step, ${RATES%% *} calls/s."
    rate=${RATES%% *}
  fi
  echo
  local header="| proxy | figure |" rule="|---|---|"
  for transport in $TRANSPORTS; do
    header+=" $(upper "$transport") |"
    rule+="---|"
  done
  for other in "${others[@]}"; do
    header+=" $(upper "$other")/$(upper "$first") |"
    rule+="---|"
  done
  echo "$header"
  echo "$rule"
  for kind in $PROXIES; do
    for figure in capacity cpu success p50 p99 peak; do
      values=()
      for transport in $TRANSPORTS; do
        case $figure in
          capacity) value=$(capacity_of "$kind" "$transport") ;;
          cpu) value=$(per_thousand "$(step_field "$kind" "$transport" "$rate" 9)" "$(step_field "$kind" "$transport" "$rate" 5)") ;;
          success) value=$(step_field "$kind" "$transport" "$rate" 7) ;;
          p50) value=$(step_field "$kind" "$transport" "$rate" 12) ;;
          p99) value=$(step_field "$kind" "$transport" "$rate" 14) ;;
          peak) value=$(mib "$(peak_of "$kind" "$transport")") ;;
        esac
        values+=("$value")
      done
      ratios=()
      base=${values[0]}
      for value in "${values[@]:1}"; do
        if [[ "$figure" == success || "$base$value" == *"<"* ]]; then
          ratios+=("-")
        else
          ratios+=("$(ratio "${value#>=}" "${base#>=}")")
        fi
      done
      case $figure in
        capacity) figure="capacity, calls/s (highest step with >= $CAPACITY_FLOOR % success)" ;;
        cpu) figure="CPU seconds per 1000 calls at $rate calls/s" ;;
        success) figure="success % at $rate calls/s" ;;
        p50) figure="INVITE to 200 p50, ms, at $rate calls/s" ;;
        p99) figure="INVITE to 200 p99, ms, at $rate calls/s" ;;
        peak) figure="peak memory (PSS, MiB) during the ladder" ;;
      esac
      local line="| $(label "$kind") | $figure |"
      for value in "${values[@]}" "${ratios[@]}"; do
        line+=" $value |"
      done
      echo "$line"
    done
  done
}

# The takeover cases side by side: one row per case and proxy, with the targets of issue 12.
takeover_table() {
  local file="$RUN_DIR/takeover.tsv"
  echo
  echo "## Takeover of a hot-standby pair"
  echo
  echo "Each proxy fronts a pair of its own: $(cat "$RUN_DIR/takeover.pair" 2>/dev/null || echo "n/a")."
  echo "The primary is active; the backup is a hot standby that takes no calls (silent, or 503 to every request,"
  echo "OPTIONS included) until it takes over. sipp offers $TAKEOVER_RATE calls/s, each held ${TAKEOVER_CALL_HOLD_S}s between ACK and"
  echo "BYE, for ${TAKEOVER_SECONDS}s; ${TAKEOVER_DIE_AFTER_S}s after the first INVITE the primary dies (freeze: its socket stays open"
  echo "and nothing answers; close: its port is closed, the kernel answers port unreachable) and ${TAKEOVER_DELAY_S}s later the"
  echo "backup takes over (OPTIONS 200, takes calls). The members share dialog state, so a BYE for a call set up"
  echo "on the primary is answered by the backup; Kamailio routes in-dialog requests addressed to either member to"
  echo "the active one (\`PAIR_SHARES_DIALOGS\` in \`kamailio/kamailio.cfg\`)."
  echo
  echo "Targets (issue 12): **0 failed calls in every case; the first INVITE at the new active at most 50 ms after"
  echo "the takeover.** Requests to a standby count the new requests (no retransmission; OPTIONS, ACK and CANCEL aside)"
  echo "that reached a member while it was standby; the OPTIONS probes it got are in brackets. Switchovers: OrleansProxy's"
  echo "\`orleansproxy_pair_switchovers_total\` over the case, with the count of its \"switched over\" log lines beside it"
  echo "where they differ (the counter, fed from a history of the last 50 read once a second, misses some in a storm);"
  echo "Kamailio's from its dispatcher's dst-up/dst-down log (changes of the member that takes new calls)."
  echo
  echo "| standby | death | proxy | failed calls | takeover to first INVITE at the new active, ms | requests to a standby (OPTIONS) | switchovers | BYEs answered by the other member / 481 | targets met |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    function name(k) { return k == "orleans" ? "OrleansProxy" : (k == "kamailio" ? "Kamailio" : k) }
    {
      met = ($6 == 0 && $7 != "n/a" && $7 <= 50) ? "yes" : "no"
      sw = ($15 != "" && $15 != "n/a" && $15 != $10) ? $10 " (log: " $15 ")" : $10
      printf "| %s | %s | %s | %s of %s | %s | %s (%s) | %s | %s / %s | %s |\n", $1, $2, name($3), $6, $4, $7, $8, $9, sw, $11, $12, met
    }' "$file"
}

# row NAME OURS THEIRS [RATIO]: the ratio is computed unless given (figures that are no single number).
row() {
  local name=$1 ours=$2 theirs=$3
  local computed="n/a"
  [[ "$ours$theirs" == *"<"* ]] || computed=$(ratio "${ours#>=}" "${theirs#>=}")
  printf '| %s | %s | %s | %s |\n' "$name" "$ours" "$theirs" "${4:-$computed}"
}

write_report() {
  local out=$1 rate
  rate=n/a
  [[ -f "$RUN_DIR/capacity.tsv" ]] && rate=$(common_rate)
  {
    echo "# Benchmark: OrleansProxy and Kamailio side by side"
    echo
    echo "Run by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Raw sipp statistics: \`$(basename "$RAW_DIR")/\`."
    echo
    echo "## Machine and load"
    echo
    cat "$RUN_DIR/machine.md"
    echo
    echo "## Summary"
    echo
    echo "Ratio is OrleansProxy / Kamailio: at most 1.0 is the goal for CPU, latency and memory, at least 1.0 for capacity."
    if [[ "$TRANSPORTS" != udp ]]; then
      echo "Over $(upper "$FIRST_TRANSPORT"), the first of \`TRANSPORTS\` (soak and failover use it too); the transports side by side follow."
    fi
    echo
    echo "| figure | OrleansProxy | Kamailio | ratio |"
    echo "|---|---|---|---|"
    if [[ -f "$RUN_DIR/capacity.tsv" ]]; then
      row "capacity, calls/s (highest step with >= $CAPACITY_FLOOR % success)" "$(capacity_of orleans)" "$(capacity_of kamailio)"
      if [[ "$rate" != n/a ]]; then
        local kind
        local kind t=$FIRST_TRANSPORT
        for kind in orleans kamailio; do
          declare "cpu_$kind=$(per_thousand "$(step_field "$kind" "$t" "$rate" 9)" "$(step_field "$kind" "$t" "$rate" 5)")"
        done
        row "CPU seconds per 1000 calls at $rate calls/s" "$cpu_orleans" "$cpu_kamailio"
        row "INVITE to 200 p50, ms, at $rate calls/s" "$(step_field orleans "$t" "$rate" 12)" "$(step_field kamailio "$t" "$rate" 12)"
        row "INVITE to 200 p95, ms, at $rate calls/s" "$(step_field orleans "$t" "$rate" 13)" "$(step_field kamailio "$t" "$rate" 13)"
        row "INVITE to 200 p99, ms, at $rate calls/s" "$(step_field orleans "$t" "$rate" 14)" "$(step_field kamailio "$t" "$rate" 14)"
      fi
      row "peak memory (PSS, MiB) during the ladder" "$(mib "$(peak_of orleans "$FIRST_TRANSPORT")")" "$(mib "$(peak_of kamailio "$FIRST_TRANSPORT")")"
      row "pair switchovers during the ladder, all steps (target 0)" "$(ladder_switchovers orleans)" "$(ladder_switchovers kamailio)" "-"
    fi
    stress_summary_rows
    if [[ -f "$RUN_DIR/soak.tsv" ]]; then
      local soak_rate
      soak_rate=$(field "$RUN_DIR/soak.tsv" orleans 2)
      [[ "$soak_rate" == n/a ]] && soak_rate=$(field "$RUN_DIR/soak.tsv" kamailio 2)
      row "CPU seconds per 1000 calls, soak at $soak_rate calls/s for ${SOAK_SECONDS}s" \
        "$(per_thousand "$(field "$RUN_DIR/soak.tsv" orleans 7)" "$(field "$RUN_DIR/soak.tsv" orleans 4)")" \
        "$(per_thousand "$(field "$RUN_DIR/soak.tsv" kamailio 7)" "$(field "$RUN_DIR/soak.tsv" kamailio 4)")"
      row "soak: failed calls" "$(field "$RUN_DIR/soak.tsv" orleans 5)" "$(field "$RUN_DIR/soak.tsv" kamailio 5)" "-"
      row "memory (PSS, MiB) at soak start" "$(mib "$(field "$RUN_DIR/soak.tsv" orleans 8)")" "$(mib "$(field "$RUN_DIR/soak.tsv" kamailio 8)")"
      row "memory (PSS, MiB) at soak end" "$(mib "$(field "$RUN_DIR/soak.tsv" orleans 9)")" "$(mib "$(field "$RUN_DIR/soak.tsv" kamailio 9)")"
    fi
    if [[ -f "$RUN_DIR/failover.tsv" ]]; then
      local mode
      for mode in $FAILOVER_MODES; do
        row "failover ($mode): failed calls" \
          "$(field "$RUN_DIR/failover.tsv" "$mode" orleans 5) of $(field "$RUN_DIR/failover.tsv" "$mode" orleans 3)" \
          "$(field "$RUN_DIR/failover.tsv" "$mode" kamailio 5) of $(field "$RUN_DIR/failover.tsv" "$mode" kamailio 3)" "-"
        row "failover ($mode): primary death to first INVITE at the backup, ms" \
          "$(field "$RUN_DIR/failover.tsv" "$mode" orleans 6)" "$(field "$RUN_DIR/failover.tsv" "$mode" kamailio 6)"
        row "failover ($mode): INVITEs to the returned primary / to the backup" \
          "$(field "$RUN_DIR/failover.tsv" "$mode" orleans 7) / $(field "$RUN_DIR/failover.tsv" "$mode" orleans 8)" \
          "$(field "$RUN_DIR/failover.tsv" "$mode" kamailio 7) / $(field "$RUN_DIR/failover.tsv" "$mode" kamailio 8)" "-"
      done
    fi
    if [[ -f "$RUN_DIR/takeover.tsv" ]]; then
      local standby death
      for standby in $TAKEOVER_STANDBYS; do
        for death in $TAKEOVER_DEATHS; do
          row "takeover ($standby standby, $death): failed calls (target 0)" \
            "$(field "$RUN_DIR/takeover.tsv" "$standby" "$death" orleans 6) of $(field "$RUN_DIR/takeover.tsv" "$standby" "$death" orleans 4)" \
            "$(field "$RUN_DIR/takeover.tsv" "$standby" "$death" kamailio 6) of $(field "$RUN_DIR/takeover.tsv" "$standby" "$death" kamailio 4)" "-"
          row "takeover ($standby standby, $death): takeover to first INVITE at the new active, ms (target <= 50)" \
            "$(field "$RUN_DIR/takeover.tsv" "$standby" "$death" orleans 7)" "$(field "$RUN_DIR/takeover.tsv" "$standby" "$death" kamailio 7)"
        done
      done
    fi
    ladder_side_by_side
    sustained_table
    cold_table
    overload_table
    junk_table
    if [[ -f "$RUN_DIR/capacity.tsv" && "$TRANSPORTS" == *" "* ]]; then
      transport_table
    fi
    if [[ -f "$RUN_DIR/takeover.tsv" ]]; then
      takeover_table
    fi
    if [[ -f "$RUN_DIR/capacity.tsv" ]]; then
      echo
      echo "## Capacity ladder, step by step"
      echo
      echo "Each step offers the rate for ${STEP_SECONDS}s. Cores are CPU seconds over the step's wall time;"
      echo "a sipp process at ${SATURATED} core or more is marked saturated (the step then measures sipp,"
      echo "and the next steps split the rate over one more caller)."
      echo
      echo "Pair switchovers: OrleansProxy's \`orleansproxy_pair_switchovers_total\` after the step minus before it, with"
      echo "the count of its \"switched over\" log lines beside it where they differ (the counter, fed from a history of"
      echo "the last 50 read once a second, misses switchovers in a storm). Both UAS are alive and answer every probe,"
      echo "so the target is 0 at every step, past capacity too (issue 12)."
      echo
      echo "| proxy | calls/s | callers | offered | success % | proxy CPU s / 1000 calls | proxy cores | busiest caller, cores | primary UAS, cores | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | late provisionals | pair switchovers | note |"
      echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
      # With TRANSPORTS other than udp alone, the proxy cell names the transport: "OrleansProxy (tcp)".
      awk -F'\t' -v sat="$SATURATED" -v show=$([[ "$TRANSPORTS" == udp ]] && echo 0 || echo 1) '
        function name(k) { return k == "orleans" ? "OrleansProxy" : (k == "kamailio" ? "Kamailio" : k) }
        {
          per = ($5 > 0) ? sprintf("%.3f", 1000 * $9 / $5) : "n/a"
          cores = ($8 > 0) ? sprintf("%.2f", $9 / $8) : "n/a"
          note = ""
          sw = ($18 == "" ? "n/a" : $18)
          if ($19 != "" && $19 != "n/a" && $19 != $18) sw = sw " (log: " $19 ")"
          if ($10 >= sat) note = "sipp caller saturated"
          if ($11 >= sat) note = (note == "" ? "" : note "; ") "sipp UAS saturated"
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name($1) (show ? " (" $17 ")" : ""), $2, $3, $4, $7, per, cores, $10, $11, $12, $13, $14, $20, $15, $16, sw, note
        }' "$RUN_DIR/capacity.tsv"
    fi
    echo
    echo "## Settings"
    echo
    echo "\`SCENARIOS=\"$SCENARIOS\" RATES=\"$RATES\" STEP_SECONDS=$STEP_SECONDS CAPACITY_FLOOR=$CAPACITY_FLOOR LADDER_STOP=$LADDER_STOP SOAK_RATE=$SOAK_RATE SOAK_SECONDS=$SOAK_SECONDS FAILOVER_RATE=$FAILOVER_RATE FAILOVER_SECONDS=$FAILOVER_SECONDS SUSTAINED_SECONDS=$SUSTAINED_SECONDS COLD_RATE=$COLD_RATE COLD_SECONDS=$COLD_SECONDS OVERLOAD_SECONDS=$OVERLOAD_SECONDS JUNK_RATE=$JUNK_RATE JUNK_CALL_RATE=$JUNK_CALL_RATE JUNK_SECONDS=$JUNK_SECONDS JUNK_SOURCE_LIMIT=$JUNK_SOURCE_LIMIT$([[ -f "$RUN_DIR/takeover.tsv" ]] && echo " TAKEOVER_RATE=$TAKEOVER_RATE TAKEOVER_SECONDS=$TAKEOVER_SECONDS TAKEOVER_CALL_HOLD_S=$TAKEOVER_CALL_HOLD_S TAKEOVER_DIE_AFTER_S=$TAKEOVER_DIE_AFTER_S TAKEOVER_DELAY_S=$TAKEOVER_DELAY_S TAKEOVER_STANDBYS=\"$TAKEOVER_STANDBYS\" TAKEOVER_DEATHS=\"$TAKEOVER_DEATHS\" TAKEOVER_ANNOUNCE=$TAKEOVER_ANNOUNCE TAKEOVER_HOLD_MS=\"$TAKEOVER_HOLD_MS\"") PROBE_INTERVAL_S=$PROBE_INTERVAL_S PROBE_FAILURES=$PROBE_FAILURES PROBE_TIMEOUT_MS=$PROBE_TIMEOUT_MS KAMAILIO_FR_TIMER_MS=$KAMAILIO_FR_TIMER_MS KAMAILIO_CHILDREN=$KAMAILIO_CHILDREN PROXY_ARGS=\"$PROXY_ARGS\"$([[ "$TRANSPORTS" == udp ]] || echo " TRANSPORTS=\"$TRANSPORTS\"")\`"
  } >"$out"
}
