import { COMMON_FUNCTIONS } from './common';

/**
 * Job runner for MySQL (POSIX sh + the mysql client). Connection: DB_HOST, DB_PORT, DB_NAME,
 * DB_USER, MYSQL_PWD (moved into a private option file), DB_SSL_MODE (passed as --ssl-mode when set).
 *
 * - Holds `GET_LOCK` for the whole run from a client session kept open through a FIFO.
 * - Records each applied file in TRACKING_TABLE (version, name, sha256 checksum, applied_at).
 * - MySQL commits DDL implicitly, so a file is not atomic: a file that fails half-way stays half
 *   applied and unrecorded; write statements that can be re-run (IF NOT EXISTS) or fix forward.
 */
export const MYSQL_RUNNER = String.raw`#!/bin/sh
# Schema migration runner for MySQL, rendered by cdk8s-data.
set -e
${COMMON_FUNCTIONS}
[ -n "$TRACKING_TABLE" ] || TRACKING_TABLE=schema_migration_history
case "$TRACKING_TABLE" in *[!a-z0-9_]*|[0-9]*) fail "TRACKING_TABLE '$TRACKING_TABLE' is not a plain lowercase identifier" ;; esac
[ -n "$MYSQL_CLIENT" ] || MYSQL_CLIENT=mysql
SSL=""
[ -z "$DB_SSL_MODE" ] || SSL="--ssl-mode=$DB_SSL_MODE"
# The password moves from the environment (MYSQL_PWD is deprecated) into a private option file.
DEFAULTS=""
if [ -n "$MYSQL_PWD" ]; then
  (umask 077; printf '[client]\npassword="%s"\n' "$(printf '%s' "$MYSQL_PWD" | sed 's/[\\"]/\\&/g')" > "$WORK/client.cnf")
  unset MYSQL_PWD
  DEFAULTS="--defaults-extra-file=$WORK/client.cnf"
fi
MYSQL="$MYSQL_CLIENT $DEFAULTS --protocol=TCP -h $DB_HOST -P $DB_PORT -u $DB_USER $SSL -N -B $DB_NAME"

n=0
until $MYSQL -e 'SELECT 1' >/dev/null 2>"$WORK/connect.err"; do
  n=$((n + 1))
  [ "$n" -lt "$CONNECT_RETRIES" ] || fail "cannot connect to $DB_HOST:$DB_PORT/$DB_NAME: $(cat "$WORK/connect.err")"
  log "waiting for $DB_HOST:$DB_PORT ($n/$CONNECT_RETRIES)"
  sleep "$CONNECT_INTERVAL"
done

# The lock holder: a client session reading from a FIFO (unbuffered, so its answer shows at once);
# closing the FIFO ends the session and releases the lock, also when this script dies.
mkfifo "$WORK/lock.fifo"
$MYSQL --unbuffered --skip-reconnect < "$WORK/lock.fifo" > "$WORK/lock.out" 2>&1 &
holder=$!
exec 3> "$WORK/lock.fifo"
trap 'exec 3>&-; wait "$holder" 2>/dev/null; rm -rf "$WORK"' EXIT
# Lock names are limited to 64 characters: use a digest of database and table.
LOCK_NAME="SHA1('cdk8s-data:migrate:$DB_NAME.$TRACKING_TABLE')"
printf "SELECT IF(GET_LOCK(%s, %s) = 1, 'locked', 'timeout');\n" "$LOCK_NAME" "$LOCK_WAIT_SECONDS" >&3
waited=0
until grep -q '^locked$' "$WORK/lock.out"; do
  kill -0 "$holder" 2>/dev/null || fail "lock session ended: $(cat "$WORK/lock.out")"
  ! grep -q '^timeout$' "$WORK/lock.out" || fail "another migration has held the lock for $LOCK_WAIT_SECONDS s"
  [ "$waited" -le "$LOCK_WAIT_SECONDS" ] || fail "another migration has held the lock for $LOCK_WAIT_SECONDS s"
  [ "$waited" -ne 1 ] || log "waiting for the migration lock (another runner holds it)"
  sleep 1
  waited=$((waited + 1))
done
log "lock acquired"

$MYSQL -e "CREATE TABLE IF NOT EXISTS $TRACKING_TABLE (version VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, checksum CHAR(64) NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
$MYSQL -e "SELECT version, checksum FROM $TRACKING_TABLE" | tr '\t' ' ' > "$WORK/applied"
plan sql

# Asks the lock session whether it still holds the lock (a session the server ended loses it; the
# client does not reconnect): the answer line appears only while the lock is held.
pings=0
held() {
  pings=$((pings + 1))
  kill -0 "$holder" 2>/dev/null || return 1
  printf "SELECT CONCAT('held-', %s) FROM DUAL WHERE IS_USED_LOCK(%s) = CONNECTION_ID();\n" "$pings" "$LOCK_NAME" >&3 || return 1
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
  if ! $MYSQL < "$f"; then
    fail "$name failed and was not recorded; MySQL commits DDL statement by statement, so statements before the failing one stay applied: fix forward with statements that can be re-run"
  fi
  $MYSQL -e "INSERT INTO $TRACKING_TABLE (version, name, checksum) VALUES ('$version', '$name', '$sum')"
done < "$WORK/pending"
log "done"
`;
