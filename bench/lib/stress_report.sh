# The Markdown tables of the ladder side by side and of the stress scenarios (lib/stress.sh): one table
# each, the proxies in columns with their ratio where one number compares. Sourced, not run.

# Every ladder rate over the first transport, both proxies on one row: success, CPU per 1000 calls and its
# ratio, p99 and p99.9, and whether a sipp process saturated (the step then measures sipp).
ladder_side_by_side() {
  [[ -f "$RUN_DIR/capacity.tsv" ]] || return 0
  local rate t=$FIRST_TRANSPORT
  echo
  echo "## The ladder side by side"
  echo
  echo "Over $(upper "$t"), every rate both proxies ran; CPU ratio is OrleansProxy / Kamailio (issue 14's targets:"
  echo "at most 1.0 at 200 calls/s, at most 0.5 at 1000 and 2000). \"sat.\" marks a step in which a sipp caller or"
  echo "UAS used ${SATURATED} of a core or more."
  echo
  echo "| calls/s | success %, OrleansProxy | success %, Kamailio | CPU s / 1000 calls, OrleansProxy | Kamailio | CPU ratio | p99 ms, OrleansProxy | Kamailio | p99.9 ms, OrleansProxy | Kamailio | sipp |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for rate in $RATES; do
    local ours theirs sat=""
    [[ "$(step_field orleans "$t" "$rate" 2)$(step_field kamailio "$t" "$rate" 2)" == n/an/a ]] && continue
    ours=$(per_thousand "$(step_field orleans "$t" "$rate" 9)" "$(step_field orleans "$t" "$rate" 5)")
    theirs=$(per_thousand "$(step_field kamailio "$t" "$rate" 9)" "$(step_field kamailio "$t" "$rate" 5)")
    local kind
    for kind in orleans kamailio; do
      if awk -v u="$(step_field "$kind" "$t" "$rate" 10)" -v s="$(step_field "$kind" "$t" "$rate" 11)" -v t="$SATURATED" \
        'BEGIN { exit !((u != "n/a" && u >= t) || (s != "n/a" && s >= t)) }'; then
        sat+="${sat:+, }sat. ($(label "$kind"))"
      fi
    done
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$rate" \
      "$(step_field orleans "$t" "$rate" 7)" "$(step_field kamailio "$t" "$rate" 7)" "$ours" "$theirs" "$(ratio "$ours" "$theirs")" \
      "$(step_field orleans "$t" "$rate" 14)" "$(step_field kamailio "$t" "$rate" 14)" \
      "$(step_field orleans "$t" "$rate" 20)" "$(step_field kamailio "$t" "$rate" 20)" "${sat:--}"
  done
}

cold_table() {
  [[ -f "$RUN_DIR/cold.tsv" ]] || return 0
  echo
  echo "## A fresh node's first step"
  echo
  echo "A new stack per proxy; once it serves and one probe round has passed, $COLD_RATE calls/s for ${COLD_SECONDS}s"
  echo "(cold), then the same step again (warm). Target (issue 14): p99 at most Kamailio's + 5 ms, from the first second."
  echo
  echo "| proxy | step | completed | CPU s / 1000 calls | p50 ms | p99 ms | p99.9 ms | max ms | busiest caller, cores |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    function name(k) { return k == "orleans" ? "OrleansProxy" : (k == "kamailio" ? "Kamailio" : k) }
    { per = ($5 > 0) ? sprintf("%.3f", 1000 * $8 / $5) : "n/a"
      printf "| %s | %s | %s of %s | %s | %s | %s | %s | %s | %s |\n", name($1), $2, $5, $4, per, $9, $10, $11, $12, $13 }' \
    "$RUN_DIR/cold.tsv"
}

sustained_table() {
  [[ -f "$RUN_DIR/sustained.tsv" ]] || return 0
  echo
  echo "## Capacity held for ${SUSTAINED_SECONDS}s"
  echo
  echo "Each proxy at its own ladder capacity (\`SUSTAINED_RATE\` overrides it), on the ladder's warm stack. Targets"
  echo "(issue 14): OrleansProxy's capacity at least 1.5 times Kamailio's, held; PSS at most 200 MiB at capacity."
  echo
  echo "| proxy | calls/s | callers | completed | success % | CPU s / 1000 calls | p50 ms | p99 ms | p99.9 ms | max ms | busiest caller, cores | UAS, cores | peak PSS, MiB | switchovers |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    function name(k) { return k == "orleans" ? "OrleansProxy" : (k == "kamailio" ? "Kamailio" : k) }
    { per = ($5 > 0) ? sprintf("%.3f", 1000 * $8 / $5) : "n/a"
      ok = ($4 > 0) ? sprintf("%.2f", 100 * $5 / $4) : "n/a"
      printf "| %s | %s | %s | %s of %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %s |\n", name($1), $2, $3, $5, $4, ok, per, $9, $10, $11, $12, $13, $14, $15 / 1024, $16 }' \
    "$RUN_DIR/sustained.tsv"
}

overload_table() {
  [[ -f "$RUN_DIR/overload.tsv" ]] || return 0
  local rate cap
  read -r rate cap <"$RUN_DIR/overload.settings"
  echo
  echo "## Twice the capacity offered"
  echo
  echo "A fresh stack per proxy, $rate calls/s offered for ${OVERLOAD_SECONDS}s (twice OrleansProxy's ladder capacity unless"
  echo "\`OVERLOAD_RATE\` says otherwise) over $UACS_MAX callers. OrleansProxy caps new INVITEs at $cap a second"
  echo "(\`Proxy:Overload:InvitesPerSecond\`) and answers the excess 503 with Retry-After; Kamailio runs its usual configuration."
  echo "Goodput is completed calls per second of the step; its share is of the proxy's own ladder capacity. Targets"
  echo "(issue 14): goodput at least 90 % of capacity, peak PSS at most 200 MiB, 0 switchovers."
  echo
  echo "| proxy | offered | completed | refused with 503 | goodput, calls/s | goodput / capacity | CPU s / 1000 completed | p99 ms | p99.9 ms | peak PSS, MiB | switchovers | busiest caller, cores |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' -v seconds="$OVERLOAD_SECONDS" '
    function name(k) { return k == "orleans" ? "OrleansProxy" : (k == "kamailio" ? "Kamailio" : k) }
    { goodput = $4 / seconds
      share = ($14 > 0) ? sprintf("%.0f %%", 100 * goodput / $14) : "n/a"
      per = ($4 > 0) ? sprintf("%.3f", 1000 * $8 / $4) : "n/a"
      printf "| %s | %s | %s | %s | %.0f | %s | %s | %s | %s | %.1f | %s | %s |\n", name($1), $3, $4, $6, goodput, share, per, $9, $10, $11 / 1024, $12, $13 }' \
    "$RUN_DIR/overload.tsv"
}

junk_table() {
  [[ -f "$RUN_DIR/junk.tsv" ]] || return 0
  echo
  echo "## A junk flood beside real calls"
  echo
  echo "A fresh stack per proxy. \`lib/junk.py\` sends $JUNK_RATE datagrams a second from 127.0.0.2 (half random bytes, half"
  echo "SIP broken in one place) for ${JUNK_SECONDS}s while sipp makes $JUNK_CALL_RATE calls a second from 127.0.0.1. OrleansProxy"
  echo "limits each source to $JUNK_SOURCE_LIMIT messages a second (\`Proxy:Overload:PerSourceMessagesPerSecond\`). Targets (issue 14):"
  echo "every real call completes; the log stays under 1 MB per minute of flood."
  echo
  echo "| proxy | junk datagrams sent | calls completed | log written, bytes | log per minute of flood, MB | proxy CPU s over the flood |"
  echo "|---|---|---|---|---|---|"
  awk -F'\t' '
    function name(k) { return k == "orleans" ? "OrleansProxy" : (k == "kamailio" ? "Kamailio" : k) }
    { per_minute = ($7 > 0) ? sprintf("%.3f", $5 / 1e6 * 60 / $7) : "n/a"
      printf "| %s | %s | %s of %s | %s | %s | %s |\n", name($1), $2, $4, $3, $5, per_minute, $6 }' "$RUN_DIR/junk.tsv"
}

# The stress figures in the summary table, with their ratios.
stress_summary_rows() {
  local file
  file="$RUN_DIR/sustained.tsv"
  if [[ -f "$file" ]]; then
    row "capacity held for ${SUSTAINED_SECONDS}s, calls/s (success %)" \
      "$(field "$file" orleans 2) ($(percent "$(field "$file" orleans 5)" "$(field "$file" orleans 4)"))" \
      "$(field "$file" kamailio 2) ($(percent "$(field "$file" kamailio 5)" "$(field "$file" kamailio 4)"))" \
      "$(ratio "$(field "$file" orleans 2)" "$(field "$file" kamailio 2)")"
    row "p99 / p99.9 ms at that capacity" "$(field "$file" orleans 10) / $(field "$file" orleans 11)" \
      "$(field "$file" kamailio 10) / $(field "$file" kamailio 11)" "-"
  fi
  file="$RUN_DIR/cold.tsv"
  if [[ -f "$file" ]]; then
    local phase
    for phase in cold warm; do
      row "fresh node, $phase step at $COLD_RATE calls/s: p99 ms (p99.9)" \
        "$(field "$file" orleans "$phase" 10) ($(field "$file" orleans "$phase" 11))" \
        "$(field "$file" kamailio "$phase" 10) ($(field "$file" kamailio "$phase" 11))" \
        "$(ratio "$(field "$file" orleans "$phase" 10)" "$(field "$file" kamailio "$phase" 10)")"
    done
  fi
  file="$RUN_DIR/overload.tsv"
  if [[ -f "$file" ]]; then
    row "twice capacity offered ($(field "$file" orleans 2) calls/s): goodput, calls/s" \
      "$(awk -v c="$(field "$file" orleans 4)" -v s="$OVERLOAD_SECONDS" 'BEGIN { printf "%.0f", c / s }')" \
      "$(awk -v c="$(field "$file" kamailio 4)" -v s="$OVERLOAD_SECONDS" 'BEGIN { printf "%.0f", c / s }')"
  fi
  file="$RUN_DIR/junk.tsv"
  if [[ -f "$file" ]]; then
    row "junk flood: calls completed" "$(field "$file" orleans 4) of $(field "$file" orleans 3)" \
      "$(field "$file" kamailio 4) of $(field "$file" kamailio 3)" "-"
    row "junk flood: bytes logged" "$(field "$file" orleans 5)" "$(field "$file" kamailio 5)" "-"
  fi
}
