#!/usr/bin/env bash
# Installs what the test suite needs and a fresh machine may lack. Sourced by test.sh; safe to run again.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "prerequisites: need root (or sudo) to run: $*" >&2; return 1; fi
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# PostgreSQL server binaries: the integration tests start their own throw-away cluster with them.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${PG_BIN:-}" ]; then
  echo "prerequisites: installing PostgreSQL server binaries (apt-get install postgresql)"
  apt_install postgresql
  # The Debian package starts a cluster of its own; the tests never use it.
  as_root service postgresql stop >/dev/null 2>&1 || true
fi

# Debian's Chromium: the status page's browser test drives it headless with Playwright (which never downloads a browser).
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "prerequisites: installing Chromium for the status page browser test (apt-get install chromium)"
  apt_install chromium
fi
