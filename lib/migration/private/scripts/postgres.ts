import { COMMON_FUNCTIONS } from './common';

/**
 * Job runner for PostgreSQL (POSIX sh + psql). Connection from libpq's environment: PGHOST,
 * PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE.
 *
 * - Holds a session advisory lock (`pg_advisory_lock`) for the whole run, from a psql session kept
 *   open through a FIFO; a second runner waits for it.
 * - Records each applied file in TRACKING_TABLE (version, name, sha256 checksum, applied_at).
 * - Applies each pending file and its tracking row in one transaction (`psql --single-transaction
 *   -v ON_ERROR_STOP=1`): a failing file is rolled back and nothing is recorded.
 */
export const POSTGRES_RUNNER = String.raw`#!/bin/sh
# Schema migration runner for PostgreSQL, rendered by cdk8s-data.
set -e
${COMMON_FUNCTIONS}
[ -n "$TRACKING_TABLE" ] || TRACKING_TABLE=schema_migration_history
case "$TRACKING_TABLE" in *[!a-z0-9_]*|[0-9]*) fail "TRACKING_TABLE '$TRACKING_TABLE' is not a plain lowercase identifier" ;; esac
PSQL="psql -X -q -v ON_ERROR_STOP=1"

n=0
until $PSQL -At -c 'SELECT 1' >/dev/null 2>"$WORK/connect.err"; do
  n=$((n + 1))
  [ "$n" -lt "$CONNECT_RETRIES" ] || fail "cannot connect to $PGHOST:$PGPORT/$PGDATABASE: $(cat "$WORK/connect.err")"
  log "waiting for $PGHOST:$PGPORT ($n/$CONNECT_RETRIES)"
  sleep "$CONNECT_INTERVAL"
done

# The lock holder: a psql session reading from a FIFO. Closing the FIFO ends the session and
# releases the lock, also when this script dies.
mkfifo "$WORK/lock.fifo"
$PSQL -At < "$WORK/lock.fifo" > "$WORK/lock.out" 2>&1 &
holder=$!
exec 3> "$WORK/lock.fifo"
trap 'exec 3>&-; wait "$holder" 2>/dev/null; rm -rf "$WORK"' EXIT
printf "SELECT 'locked' FROM pg_advisory_lock(hashtext('cdk8s-data:migrate:%s'));\n" "$TRACKING_TABLE" >&3
waited=0
until grep -q '^locked$' "$WORK/lock.out"; do
  kill -0 "$holder" 2>/dev/null || fail "lock session ended: $(cat "$WORK/lock.out")"
  [ "$waited" -lt "$LOCK_WAIT_SECONDS" ] || fail "another migration has held the lock for $LOCK_WAIT_SECONDS s"
  [ "$waited" -ne 1 ] || log "waiting for the migration lock (another runner holds it)"
  sleep 1
  waited=$((waited + 1))
done
log "lock acquired"

$PSQL -c 'SET client_min_messages = warning' -c "CREATE TABLE IF NOT EXISTS $TRACKING_TABLE (version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
$PSQL -At -F ' ' -c "SELECT version, checksum FROM $TRACKING_TABLE" > "$WORK/applied"
plan sql

printf "INSERT INTO %s (version, name, checksum) VALUES (:'mig_version', :'mig_name', :'mig_checksum');\n" "$TRACKING_TABLE" > "$WORK/record.sql"
# Asks the lock session whether it still holds the lock (a session the server ended, or a restarted
# server, loses it): the answer line appears only while the lock is held.
pings=0
held() {
  pings=$((pings + 1))
  kill -0 "$holder" 2>/dev/null || return 1
  printf "SELECT 'held-%s' FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted;\n" "$pings" >&3 || return 1
  tries=0
  until grep -q "^held-$pings\$" "$WORK/lock.out"; do
    kill -0 "$holder" 2>/dev/null || return 1
    [ "$tries" -lt 100 ] || return 1
    sleep 0.1 2>/dev/null || sleep 1
    tries=$((tries + 1))
  done
}

while read -r version sum f; do
  held || fail "lost the migration lock (its session ended): nothing more is applied; run again"
  name=$(basename "$f")
  log "applying $name"
  if ! $PSQL --single-transaction -v mig_version="$version" -v mig_name="$name" -v mig_checksum="$sum" -f "$f" -f "$WORK/record.sql" < /dev/null; then
    fail "$name failed; its transaction was rolled back and nothing was recorded"
  fi
done < "$WORK/pending"
log "done"
`;
