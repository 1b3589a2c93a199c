# What the results file says about the machine and the load others put on it. Sourced, not run.

cpu_totals() { awk '/^cpu / { idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i; print total, idle; exit }' /proc/stat; }

machine_start() {
  read -r MACHINE_TOTAL0 MACHINE_IDLE0 < <(cpu_totals)
  MACHINE_LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
  MACHINE_T0=$(now_ms)
  # The busiest processes before the run, by name only: who else shares the cores.
  ps -eo pcpu=,comm= --sort=-pcpu | awk 'NR <= 5 { printf "%s %s%%, ", $2, $1 }' | sed 's/, $//' >"$RUN_DIR/others.txt"
}

machine_end() {
  local total1 idle1 busy minutes
  read -r total1 idle1 < <(cpu_totals)
  busy=$(awk -v t=$((total1 - MACHINE_TOTAL0)) -v i=$((idle1 - MACHINE_IDLE0)) 'BEGIN { printf "%.0f", t ? 100 * (t - i) / t : 0 }')
  minutes=$(awk -v ms=$(($(now_ms) - MACHINE_T0)) 'BEGIN { printf "%.1f", ms / 60000 }')
  {
    echo "- CPU: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores online"
    echo "- memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); kernel $(uname -r)"
    echo "- $(kamailio -v 2>/dev/null | head -1); $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ,]*' | head -1); .NET $(dotnet --version 2>/dev/null || echo n/a)"
    echo "- the scenarios took $minutes minutes; load average $MACHINE_LOAD0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo "- whole machine busy $busy % of all cores over the run, the benchmark's own processes included"
    echo "- busiest processes when the run started: $(cat "$RUN_DIR/others.txt")"
    echo "- everything on loopback (127.0.0.1, $(tr '[:lower:]' '[:upper:]' <<<"$TRANSPORTS" | sed 's/ \{1,\}/ and /g')); sipp, both UAS and the proxy share the same cores"
  } >"$RUN_DIR/machine.md"
}
