#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests (real PostgreSQL started by the tests, real SQLite, the
# Dataverse simulator over loopback HTTP), and the SQL Server suite when REPORTINGSYNC_TEST_SQLSERVER is set.
# Installs missing prerequisites first. Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

bash scripts/prerequisites.sh || { echo "0 passed, 1 failed, 0 skipped (prerequisites could not be installed)"; exit 1; }

results="$(mktemp -d "${TMPDIR:-/tmp}/reportingsync-tests.XXXXXX")"
trap 'rm -rf "$results"' EXIT

dotnet test ReportingSync.sln -c Release --nologo --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  value() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  # xunit's skipped tests are counted as total minus executed (its notExecuted counter stays 0).
  skipped=$((skipped + $(value total) - $(value executed)))
done

if [ "$files" -eq 0 ] && [ "$status" -ne 0 ]; then
  echo "0 passed, 1 failed, 0 skipped (the build or test host failed before any test ran)"
  exit "$status"
fi

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
