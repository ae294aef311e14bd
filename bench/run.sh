#!/usr/bin/env bash
# Benchmarks of issues 10 and 15: builds the worker and the bench, starts a throw-away PostgreSQL cluster and the Dataverse
# simulator, runs every scenario, prints a table and a PASS / FALL SHORT line per target, and writes
# bench/results/latest.json (--quick: 1/10 scale in about 12 minutes, written to bench/results/quick.json). With --only, the
# other scenarios' lines already in the file are kept, each with the start time of the run that measured it.
# Usage: bash bench/run.sh [--quick] [--only 1,5,6] [--out FILE]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${PG_BIN:-}" ]; then
  bash scripts/prerequisites.sh
fi

dotnet build bench/ReportingSync.Bench/ReportingSync.Bench.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
# The worker is measured as it ships: published for this machine's runtime, so ReadyToRun (as the Dockerfile does).
worker_dir="$(mktemp -d)"
trap 'rm -rf "$worker_dir"' EXIT
dotnet publish src/ReportingSync/ReportingSync.csproj -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true --nologo -v quiet -clp:ErrorsOnly -o "$worker_dir" -p:UseAppHost=false
export REPORTINGSYNC_WORKER_DLL="$worker_dir/reportingsync.dll"
dotnet bench/ReportingSync.Bench/bin/Release/net10.0/ReportingSync.Bench.dll "$@"
