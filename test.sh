#!/usr/bin/env bash
# Runs every test project and ends with one line: "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
results="$(pwd)/TestResults"
rm -rf "$results"
command -v sipp >/dev/null || echo "note: sipp not found (Debian package sip-tester); the sipp end-to-end tests will be skipped" >&2
dotnet test OrleansProxy.sln -c Release --logger trx --results-directory "$results" "$@"
status=$?
passed=0 failed=0 skipped=0 total=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(value total)))
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
done
skipped=$((total - passed - failed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
