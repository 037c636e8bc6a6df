/**
 * Shell scripts carried by the Cassandra manifests. Each runs under bash in the official image,
 * reads its parameters from environment variables set on the container, and is executed verbatim
 * by the tests against stand-in `nodetool`, `cqlsh` and `getent` executables.
 */

/**
 * First-start gate (init container). A node that has never started (no `system` keyspace on its
 * volume) waits until the node before it in the datacenter's start order answers on the CQL port,
 * which it opens only after joining the ring. The order is: ordinal 0 of every rack, rack by rack,
 * then ordinal 1 of every rack, and so on; so a new datacenter bootstraps one node at a time
 * instead of crash-looping on "Other bootstrapping/leaving/moving nodes detected". A node that has
 * started before never waits, so a restart never depends on another node.
 *
 * Env: POD_NAME; WAIT_SAME_ORDINAL_OF (StatefulSet of the previous rack, or empty);
 * WAIT_PREVIOUS_ORDINAL_OF (StatefulSet of the last rack, for the first rack's ordinals > 0, or
 * empty); PEER_DOMAIN (`<headless>.<namespace>.svc.<cluster domain>`); PEER_CQL_PORT;
 * CASSANDRA_DATA_DIR; WAIT_TIMEOUT_SECONDS (then exit 1, and the kubelet retries);
 * WAIT_INTERVAL_SECONDS.
 */
export const WAIT_FOR_PREVIOUS_SCRIPT = [
  'set -u',
  'data_dir="${CASSANDRA_DATA_DIR:-/var/lib/cassandra}"',
  'if [ -d "$data_dir/data/system" ]; then',
  '  echo "this node has started before ($data_dir/data/system exists): no wait"',
  '  exit 0',
  'fi',
  'ordinal="${POD_NAME##*-}"',
  'target=""',
  'if [ -n "${WAIT_SAME_ORDINAL_OF:-}" ]; then',
  '  target="${WAIT_SAME_ORDINAL_OF}-${ordinal}"',
  'elif [ "$ordinal" -gt 0 ] && [ -n "${WAIT_PREVIOUS_ORDINAL_OF:-}" ]; then',
  '  target="${WAIT_PREVIOUS_ORDINAL_OF}-$((ordinal - 1))"',
  'fi',
  'if [ -z "$target" ]; then',
  '  echo "$POD_NAME is first in the start order: no wait"',
  '  exit 0',
  'fi',
  'host="${target}.${PEER_DOMAIN}"',
  'port="${PEER_CQL_PORT:-9042}"',
  'timeout="${WAIT_TIMEOUT_SECONDS:-900}"',
  'interval="${WAIT_INTERVAL_SECONDS:-5}"',
  'start=$SECONDS',
  'echo "first start of $POD_NAME: waiting for $host:$port to answer CQL"',
  'while :; do',
  '  address="$(getent hosts "$host" | awk \'{ print $1; exit }\')"',
  '  if [ -n "$address" ] && (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null; then',
  '    echo "$host ($address) answers on $port after $((SECONDS - start))s"',
  '    exit 0',
  '  fi',
  '  if [ $((SECONDS - start)) -ge "$timeout" ]; then',
  '    echo "gave up after ${timeout}s: $host:$port does not answer (${address:-no DNS record yet}); the kubelet will retry" >&2',
  '    exit 1',
  '  fi',
  '  sleep "$interval"',
  'done',
].join('\n');

/**
 * `bin/nodetool` starts its JVM with `-Xmx$MAX_HEAP_SIZE`, and the container's MAX_HEAP_SIZE is the
 * node's own heap: each probe would be allowed the node's whole heap again. Probes and the drain
 * hook run nodetool with a small heap (set in pairs, as `cassandra-env.sh`, which nodetool sources,
 * requires).
 */
const SMALL_NODETOOL_HEAP = 'export MAX_HEAP_SIZE=128M HEAP_NEWSIZE=32M';

/**
 * Startup probe: the node has finished starting (commit log replayed, gossip running). Bootstrap
 * streaming may go on after this; liveness then only asks whether the JVM answers.
 */
export const STARTUP_SCRIPT = [
  SMALL_NODETOOL_HEAP,
  'out="$(nodetool info 2>&1)" || { echo "nodetool info failed: $(printf %s "$out" | tail -n 2)"; exit 1; }',
  'printf %s "$out" | grep -Eq \'^Gossip active[[:space:]]*:[[:space:]]*true\' || { echo "gossip is not active yet"; exit 1; }',
].join('\n');

/**
 * Readiness probe: this node serves CQL (native transport active, which Cassandra turns on only
 * once the node has joined the ring). It asks the local node only, never the cluster, so a full
 * restart under OrderedReady cannot deadlock.
 */
export const READINESS_SCRIPT = [
  SMALL_NODETOOL_HEAP,
  'out="$(nodetool info 2>&1)" || { echo "nodetool info failed: $(printf %s "$out" | tail -n 2)"; exit 1; }',
  'printf %s "$out" | grep -Eq \'^Native Transport active[[:space:]]*:[[:space:]]*true\' || { echo "native transport (CQL) is not active"; exit 1; }',
].join('\n');

/** Liveness probe: the JVM answers JMX locally. Cheap for Cassandra, generous in timing. */
export const LIVENESS_SCRIPT = `${SMALL_NODETOOL_HEAP}\nnodetool version >/dev/null`;

/** preStop hook: flush memtables and stop accepting writes, so a restart replays no commit log. */
export const PRESTOP_SCRIPT = `${SMALL_NODETOOL_HEAP}\nnodetool drain`;

/**
 * The superuser Job: replaces the default `cassandra`/`cassandra` superuser with the one in the
 * referenced Secret. Idempotent: each attempt logs in as the new superuser if it exists, else
 * creates it as `cassandra`; then sets `system_auth` replication (when given) and drops the
 * default role. Attempts repeat until they succeed or `SETUP_TIMEOUT_SECONDS` passes (writes to
 * the auth tables need a quorum, so it converges once enough nodes are up).
 *
 * No password reaches a command line (the process list shows those): cqlsh reads each login from
 * a credentials file (`--credentials`, mode 0600, the form cqlsh 4.1+ reads), and the statements,
 * one of which carries the new password, come on its standard input.
 *
 * Env: CQL_HOST, CQL_PORT, SUPERUSER_NAME and SUPERUSER_PASSWORD (secretKeyRef),
 * AUTH_REPLICATION (a CQL replication map, or empty), SETUP_TIMEOUT_SECONDS, RETRY_INTERVAL_SECONDS,
 * CREDENTIALS_DIR (a writable directory only this user reads, default $HOME/.cassandra).
 */
export const SUPERUSER_SCRIPT = [
  'set -u',
  'umask 077',
  'user="${SUPERUSER_NAME:?SUPERUSER_NAME is not set}"',
  'pass="${SUPERUSER_PASSWORD:?SUPERUSER_PASSWORD is not set}"',
  'if [ "$user" = cassandra ]; then echo "the superuser must not be named cassandra: that role is the one being dropped" >&2; exit 1; fi',
  // The credentials file is INI: a line break would end the value, and blanks at either end are trimmed.
  'for value in "$user" "$pass"; do',
  '  case "$value" in',
  '    *$\'\\n\'*|*$\'\\r\'*|[[:space:]]*|*[[:space:]]) echo "the superuser name and password must not contain line breaks nor start or end with blank space (cqlsh reads them from an INI file); change the Secret" >&2; exit 1 ;;',
  '  esac',
  'done',
  'q="\'"; dq=\'"\'',
  'ident="$dq${user//$dq/$dq$dq}$dq"',
  'literal="$q${pass//$q/$q$q}$q"',
  'dir="${CREDENTIALS_DIR:-$HOME/.cassandra}"',
  'mkdir -p "$dir" && chmod 700 "$dir" || exit 1',
  'login() {',
  '  printf \'[PlainTextAuthProvider]\\nusername = %s\\npassword = %s\\n\' "$2" "$3" > "$dir/$1" && chmod 600 "$dir/$1"',
  '}',
  'login superuser "$user" "$pass" || exit 1',
  'login default cassandra cassandra || exit 1',
  'cql() {',
  '  local login="$1" stmt="$2"',
  '  printf \'%s;\\n\' "$stmt" | cqlsh --connect-timeout=10 --request-timeout=60 --credentials="$dir/$login" "$CQL_HOST" "${CQL_PORT:-9042}"',
  '}',
  'attempt() {',
  '  if cql superuser "SELECT release_version FROM system.local" >/dev/null 2>&1; then',
  '    echo "superuser $user can log in"',
  '  else',
  '    echo "creating superuser $user as the default superuser"',
  '    cql default "CREATE ROLE IF NOT EXISTS $ident WITH PASSWORD = $literal AND SUPERUSER = true AND LOGIN = true" || return 1',
  '  fi',
  '  if [ -n "${AUTH_REPLICATION:-}" ]; then',
  '    cql superuser "ALTER KEYSPACE system_auth WITH replication = $AUTH_REPLICATION" || return 1',
  '  fi',
  '  cql superuser "DROP ROLE IF EXISTS cassandra" || return 1',
  '  echo "default superuser cassandra dropped"',
  '}',
  'timeout="${SETUP_TIMEOUT_SECONDS:-3000}"',
  'interval="${RETRY_INTERVAL_SECONDS:-15}"',
  'start=$SECONDS',
  'until attempt; do',
  '  if [ $((SECONDS - start)) -ge "$timeout" ]; then echo "gave up after ${timeout}s" >&2; exit 1; fi',
  '  echo "not done yet; retrying in ${interval}s"',
  '  sleep "$interval"',
  'done',
  'echo "done: $user is the superuser"',
].join('\n');
