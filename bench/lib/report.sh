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

# Highest ladder rate at which KIND kept CAPACITY_FLOOR % success: ">=" when it passed every step it ran,
# "<" the lowest rate when it passed none.
capacity_of() {
  local kind=$1
  awk -F'\t' -v kind="$kind" -v floor="$CAPACITY_FLOOR" '
    $1 == kind && $7 != "n/a" && $7 >= floor && $2 > best { best = $2 }
    $1 == kind { if ($7 == "n/a" || $7 < floor) failed = 1; if (lowest == "" || $2 < lowest) lowest = $2 }
    END { if (lowest == "") print "n/a"; else if (best == "") print "<" lowest; else if (!failed) print ">=" best; else print best }' "$RUN_DIR/capacity.tsv"
}

# Highest rate that every proxy passed: the step where CPU and latency are compared like for like.
common_rate() {
  awk -F'\t' -v floor="$CAPACITY_FLOOR" -v kinds="$(echo $PROXIES | wc -w)" '
    $7 != "n/a" && $7 >= floor { ok[$2]++ }
    END { for (r in ok) if (ok[r] == kinds && r + 0 > best + 0) best = r; print (best == "" ? "n/a" : best) }' "$RUN_DIR/capacity.tsv"
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
    echo
    echo "| figure | OrleansProxy | Kamailio | ratio |"
    echo "|---|---|---|---|"
    if [[ -f "$RUN_DIR/capacity.tsv" ]]; then
      row "capacity, calls/s (highest step with >= $CAPACITY_FLOOR % success)" "$(capacity_of orleans)" "$(capacity_of kamailio)"
      if [[ "$rate" != n/a ]]; then
        local kind
        for kind in orleans kamailio; do
          declare "cpu_$kind=$(per_thousand "$(field "$RUN_DIR/capacity.tsv" "$kind" "$rate" 9)" "$(field "$RUN_DIR/capacity.tsv" "$kind" "$rate" 5)")"
        done
        row "CPU seconds per 1000 calls at $rate calls/s" "$cpu_orleans" "$cpu_kamailio"
        row "INVITE to 200 p50, ms, at $rate calls/s" "$(field "$RUN_DIR/capacity.tsv" orleans "$rate" 12)" "$(field "$RUN_DIR/capacity.tsv" kamailio "$rate" 12)"
        row "INVITE to 200 p95, ms, at $rate calls/s" "$(field "$RUN_DIR/capacity.tsv" orleans "$rate" 13)" "$(field "$RUN_DIR/capacity.tsv" kamailio "$rate" 13)"
        row "INVITE to 200 p99, ms, at $rate calls/s" "$(field "$RUN_DIR/capacity.tsv" orleans "$rate" 14)" "$(field "$RUN_DIR/capacity.tsv" kamailio "$rate" 14)"
      fi
      row "peak memory (PSS, MiB) during the ladder" "$(mib "$(field "$RUN_DIR/peak.tsv" orleans 2)")" "$(mib "$(field "$RUN_DIR/peak.tsv" kamailio 2)")"
    fi
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
    if [[ -f "$RUN_DIR/capacity.tsv" ]]; then
      echo
      echo "## Capacity ladder, step by step"
      echo
      echo "Each step offers the rate for ${STEP_SECONDS}s. Cores are CPU seconds over the step's wall time;"
      echo "a sipp process at ${SATURATED} core or more is marked saturated (the step then measures sipp,"
      echo "and the next steps split the rate over one more caller)."
      echo
      echo "| proxy | calls/s | callers | offered | success % | proxy CPU s / 1000 calls | proxy cores | busiest caller, cores | primary UAS, cores | p50 ms | p95 ms | p99 ms | max ms | late provisionals | note |"
      echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
      awk -F'\t' -v sat="$SATURATED" '
        function name(k) { return k == "orleans" ? "OrleansProxy" : (k == "kamailio" ? "Kamailio" : k) }
        {
          per = ($5 > 0) ? sprintf("%.3f", 1000 * $9 / $5) : "n/a"
          cores = ($8 > 0) ? sprintf("%.2f", $9 / $8) : "n/a"
          note = ""
          if ($10 >= sat) note = "sipp caller saturated"
          if ($11 >= sat) note = (note == "" ? "" : note "; ") "sipp UAS saturated"
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name($1), $2, $3, $4, $7, per, cores, $10, $11, $12, $13, $14, $15, $16, note
        }' "$RUN_DIR/capacity.tsv"
    fi
    echo
    echo "## Settings"
    echo
    echo "\`RATES=\"$RATES\" STEP_SECONDS=$STEP_SECONDS CAPACITY_FLOOR=$CAPACITY_FLOOR LADDER_STOP=$LADDER_STOP SOAK_RATE=$SOAK_RATE SOAK_SECONDS=$SOAK_SECONDS FAILOVER_RATE=$FAILOVER_RATE FAILOVER_SECONDS=$FAILOVER_SECONDS PROBE_INTERVAL_S=$PROBE_INTERVAL_S PROBE_FAILURES=$PROBE_FAILURES PROBE_TIMEOUT_MS=$PROBE_TIMEOUT_MS KAMAILIO_FR_TIMER_MS=$KAMAILIO_FR_TIMER_MS KAMAILIO_CHILDREN=$KAMAILIO_CHILDREN PROXY_ARGS=\"$PROXY_ARGS\"\`"
  } >"$out"
}
