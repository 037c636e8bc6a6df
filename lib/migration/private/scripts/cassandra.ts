import { CQLSH_LOGIN_FUNCTIONS } from '../../../cassandra/private/cqlsh-login';
import { COMMON_FUNCTIONS } from './common';

/**
 * Job runner for Cassandra (POSIX sh + cqlsh). Connection: CQLSH_HOST, CQLSH_PORT, CQLSH_USER and
 * CQLSH_PASSWORD (optional), CQLSH_SSL=true for TLS.
 *
 * - The login never reaches a command line (the process list shows those): it is written from the
 *   env into a credentials file of mode 0600 in the runner's private work directory (under TMPDIR,
 *   an emptyDir) and cqlsh reads it with `--credentials` (CQLSH_LOGIN_FUNCTIONS). A user name or
 *   password that such a file cannot carry (line breaks, blanks at either end) is refused before
 *   any connection.
 * - Tracking keyspace MIGRATION_KS (replication MIGRATION_KS_REPLICATION) with the table
 *   `applied_migrations` (version, name, sha256 checksum, applied_at) and the lock table
 *   `migration_lock`.
 * - Lock: a lightweight-transaction row `INSERT ... IF NOT EXISTS USING TTL`, refreshed after each
 *   statement (`UPDATE ... IF owner = ...`) and deleted at the end; a second runner waits for it.
 * - Statements of a file run one by one (a statement ends with `;` at the end of a line); after each,
 *   the runner waits until every node reports the same schema version (system.local and
 *   system.peers), so the next statement never races a schema disagreement.
 * - Cassandra schema changes are not transactional: a file that fails half-way leaves its earlier
 *   statements applied and is not recorded; write statements with IF [NOT] EXISTS so a re-run works.
 */
export const CASSANDRA_RUNNER = String.raw`#!/bin/sh
# Schema migration runner for Cassandra, rendered by cdk8s-data.
set -e
${COMMON_FUNCTIONS}
[ -n "$MIGRATION_KS" ] || MIGRATION_KS=schema_migrations
case "$MIGRATION_KS" in *[!a-z0-9_]*|[0-9]*) fail "MIGRATION_KS '$MIGRATION_KS' is not a plain lowercase identifier" ;; esac
[ -n "$MIGRATION_KS_REPLICATION" ] || fail "MIGRATION_KS_REPLICATION is not set"
[ -n "$LOCK_TTL_SECONDS" ] || LOCK_TTL_SECONDS=300
[ -n "$AGREEMENT_TIMEOUT_SECONDS" ] || AGREEMENT_TIMEOUT_SECONDS=120
[ -n "$CQLSH_PORT" ] || CQLSH_PORT=9042
OWNER="$(hostname)-$$"
trap 'rm -rf "$WORK"' EXIT
${CQLSH_LOGIN_FUNCTIONS}
set -- "$CQLSH_HOST" "$CQLSH_PORT" --no-color --connect-timeout=20 --request-timeout=120
[ "$CQLSH_SSL" != true ] || set -- "$@" --ssl
if [ -n "$CQLSH_USER" ]; then
  cqlsh_login_check "the user name (CQLSH_USER)" "$CQLSH_USER" || exit 1
  cqlsh_login_check "the password (CQLSH_PASSWORD)" "$CQLSH_PASSWORD" || exit 1
  cqlsh_login "$WORK/credentials" "$CQLSH_USER" "$CQLSH_PASSWORD" || fail "cannot write the cqlsh credentials file in $WORK"
  set -- "$@" --credentials="$WORK/credentials"
fi
# Only cqlsh's credentials file holds the password from here on; child processes do not inherit it.
unset CQLSH_PASSWORD
cql() { cqlsh "$@" -e "CONSISTENCY LOCAL_QUORUM; SERIAL CONSISTENCY SERIAL; $CQL"; }
cql_file() { printf 'CONSISTENCY LOCAL_QUORUM;\nSERIAL CONSISTENCY SERIAL;\n' | cat - "$CQL_FILE" > "$WORK/current.cql"; cqlsh "$@" -f "$WORK/current.cql"; }

# Waits until the coordinator and all peers report one schema version.
agree() {
  waited=0
  while :; do
    CQL="SELECT schema_version FROM system.local; SELECT schema_version FROM system.peers;"
    cql "$@" > "$WORK/versions" || fail "cannot read schema versions"
    versions=$(grep -E -o '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' "$WORK/versions" | sort -u | wc -l | tr -d ' ')
    [ "$versions" -ne 1 ] || return 0
    [ "$versions" -gt 1 ] || fail "cannot read schema versions from system.local and system.peers: $(cat "$WORK/versions")"
    [ "$waited" -lt "$AGREEMENT_TIMEOUT_SECONDS" ] || fail "no schema agreement after $AGREEMENT_TIMEOUT_SECONDS s ($versions schema versions): check that every node is up (nodetool describecluster)"
    sleep 1
    waited=$((waited + 1))
  done
}
# Runs an LWT statement in $CQL and succeeds when it was applied.
lwt() { cql "$@" | grep -E '^[[:space:]]*(True|False)' | head -n 1 | grep -q True; }

n=0
CQL="SELECT release_version FROM system.local;"
until cql "$@" >/dev/null 2>"$WORK/connect.err"; do
  n=$((n + 1))
  [ "$n" -lt "$CONNECT_RETRIES" ] || fail "cannot connect to $CQLSH_HOST:$CQLSH_PORT: $(cat "$WORK/connect.err")"
  log "waiting for $CQLSH_HOST:$CQLSH_PORT ($n/$CONNECT_RETRIES)"
  sleep "$CONNECT_INTERVAL"
done

CQL="CREATE KEYSPACE IF NOT EXISTS $MIGRATION_KS WITH replication = $MIGRATION_KS_REPLICATION;"; cql "$@"; agree "$@"
CQL="CREATE TABLE IF NOT EXISTS $MIGRATION_KS.applied_migrations (version text PRIMARY KEY, name text, checksum text, applied_at timestamp);"; cql "$@"; agree "$@"
CQL="CREATE TABLE IF NOT EXISTS $MIGRATION_KS.migration_lock (id text PRIMARY KEY, owner text);"; cql "$@"; agree "$@"

waited=0
CQL="INSERT INTO $MIGRATION_KS.migration_lock (id, owner) VALUES ('lock', '$OWNER') IF NOT EXISTS USING TTL $LOCK_TTL_SECONDS;"
until lwt "$@"; do
  [ "$waited" -lt "$LOCK_WAIT_SECONDS" ] || fail "another migration has held the lock for $LOCK_WAIT_SECONDS s (it expires $LOCK_TTL_SECONDS s after its holder stops)"
  [ "$waited" -ne 1 ] || log "waiting for the migration lock (another runner holds it)"
  sleep 1
  waited=$((waited + 1))
done
release() { CQL="DELETE FROM $MIGRATION_KS.migration_lock WHERE id = 'lock' IF owner = '$OWNER';"; cql "$@" >/dev/null 2>&1 || true; }
trap 'release "$@"; rm -rf "$WORK"' EXIT
log "lock acquired"
refresh() {
  CQL="UPDATE $MIGRATION_KS.migration_lock USING TTL $LOCK_TTL_SECONDS SET owner = '$OWNER' WHERE id = 'lock' IF owner = '$OWNER';"
  lwt "$@" || fail "lost the migration lock (its TTL of $LOCK_TTL_SECONDS s ran out): raise LOCK_TTL_SECONDS"
}

CQL="SELECT version, checksum FROM $MIGRATION_KS.applied_migrations;"
cql "$@" > "$WORK/applied.out"
{ grep -E -o '^[[:space:]]*[0-9]+[[:space:]]*\|[[:space:]]*[0-9a-f]{64}' "$WORK/applied.out" || true; } | tr -d ' ' | tr '|' ' ' > "$WORK/applied"
plan cql

while read -r version sum f; do
  name=$(basename "$f")
  rm -f "$WORK"/stmt.*
  # Split the file into statements: a statement ends with ';' at the end of a line; whole-line
  # comments are dropped. Each statement file records its first line number.
  count=$(awk -v out="$WORK/stmt" '
    /^[ \t]*(--|\/\/)/ { next }
    buf == "" && /^[ \t\r]*$/ { next }
    { if (buf == "") start = NR; buf = buf $0 "\n" }
    /;[ \t\r]*$/ { n++; print buf > (out "." n); close(out "." n); print start > (out "." n ".line"); close(out "." n ".line"); buf = "" }
    END { if (buf ~ /[^ \t\r\n]/) { n++; print buf > (out "." n); print start > (out "." n ".line") } print n + 0 }' "$f")
  log "applying $name ($count statement(s))"
  i=1
  while [ "$i" -le "$count" ]; do
    CQL_FILE="$WORK/stmt.$i"
    if ! cql_file "$@" < /dev/null; then
      fail "$name:$(cat "$WORK/stmt.$i.line"): statement $i of $count failed; Cassandra schema changes are not transactional: statements before it stay applied and the file is not recorded; make them idempotent (IF NOT EXISTS) and run again"
    fi
    agree "$@"
    refresh "$@"
    i=$((i + 1))
  done
  CQL="INSERT INTO $MIGRATION_KS.applied_migrations (version, name, checksum, applied_at) VALUES ('$version', '$name', '$sum', toTimestamp(now()));"
  cql "$@" < /dev/null
done < "$WORK/pending"
log "done"
`;
