#!/usr/bin/env bash
# Back up the PostgreSQL database named by DATABASE_URL (pg_dump -Fc), restore the dump into a
# scratch database on the same server, and verify the journal of the restored copy with
# `secassure journal verify` (the same SECASSURE_JOURNAL_KEY and checkpoints as the live one).
# The scratch database is dropped at the end; the dump is kept where BACKUP_FILE says
# (default: a file in a temporary directory, removed at the end).
#
#   DATABASE_URL=postgres://USER@HOST:5432/secassure scripts/backup_restore_check.sh
#
# Exit status: 0 when the dump restores and its journal verifies; non-zero otherwise.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup_restore_check: DATABASE_URL is not PostgreSQL" >&2; exit 2 ;;
esac
SECASSURE=${SECASSURE:-secassure}
work=$(mktemp -d)
backup=${BACKUP_FILE:-$work/secassure.dump}
base=${DATABASE_URL%/*}                     # postgres://user@host:port
query=""
case "$DATABASE_URL" in *\?*) query="?${DATABASE_URL#*\?}" ;; esac
scratch="secassure_restore_check_$$"
cleanup() {
  psql -q "$base/postgres$query" -c "DROP DATABASE IF EXISTS $scratch" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

pg_dump -Fc --no-owner -f "$backup" "$DATABASE_URL"
echo "dumped to $backup ($(stat -c %s "$backup") bytes)"
psql -q -v ON_ERROR_STOP=1 "$base/postgres$query" -c "CREATE DATABASE $scratch"
pg_restore --no-owner --exit-on-error -d "$base/$scratch$query" "$backup"
echo "restored into $scratch"
DATABASE_URL="$base/$scratch$query" "$SECASSURE" journal verify
echo "the restored journal verifies"
