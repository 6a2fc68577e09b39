#!/usr/bin/env bash
# Installs the Debian packages the product and its tests use, when they are missing.
#   scripts/ensure-system.sh run    what `make run` needs (sandbox isolation, the PostgreSQL
#                                   server of project databases)
#   scripts/ensure-system.sh test   plus Chromium for the browser tests, PostgreSQL running
# Without root (or apt) it only says what is missing: the product still runs, but runs no
# project code (no preview, terminal or agent commands) and says why; `unsafe-local` is an
# explicit opt-in (README.md).
set -euo pipefail
mode="${1:-run}"

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have bwrap || need+=(bubblewrap)
have ip || need+=(iproute2)
have iptables || need+=(iptables)
have setpriv || need+=(util-linux)
have prlimit || need+=(util-linux)
have git || need+=(git)
have useradd || need+=(passwd)
# Project databases (appwright/backend/pg/cluster.py): the server binaries, not a service.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
if [ "$mode" = test ]; then
  have chromium || need+=(chromium fonts-liberation)
  have psql || need+=(postgresql-client)
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "Installing system packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing system packages: ${need[*]} (install them with apt-get as root)." >&2
    [ "$mode" = test ] && exit 1
  fi
fi

if [ "$mode" = test ]; then
  pg_url="${APPWRIGHT_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
  if ! psql "$pg_url" -tAc 'select 1' >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && have pg_ctlcluster; then
      version=$(ls /etc/postgresql | sort -V | tail -n 1)
      echo "Starting PostgreSQL $version"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
      for _ in $(seq 1 30); do
        psql "$pg_url" -tAc 'select 1' >/dev/null 2>&1 && break
        sleep 1
      done
    fi
    if ! psql "$pg_url" -tAc 'select 1' >/dev/null 2>&1; then
      echo "PostgreSQL is not reachable at $pg_url (set APPWRIGHT_TEST_POSTGRES_URL)." >&2
      exit 1
    fi
  fi
fi
