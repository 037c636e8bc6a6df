/**
 * Shell scripts carried by the Cassandra manifests. Each runs under bash in the official image,
 * reads its parameters from environment variables set on the container, and is executed verbatim
 * by the tests against stand-in `nodetool`, `cqlsh` and `getent` executables.
 */
import { CQLSH_LOGIN_FUNCTIONS } from './cqlsh-login';

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
const SMALL_NODETOOL_HEAP = [
  'export MAX_HEAP_SIZE=128M HEAP_NEWSIZE=32M',
  // With JMX authentication on (scheduled repairs), nodetool logs in with the account of the
  // password file the config init container wrote; the password never reaches a command line.
  'jmx=()',
  'if [ -n "${JMX_USERNAME:-}" ]; then jmx=(-u "$JMX_USERNAME" -pwf "${JMX_PASSWORD_FILE:-/etc/cassandra/jmxremote.password}"); fi',
].join('\n');

/**
 * Startup probe: the node has finished starting (commit log replayed, gossip running). Bootstrap
 * streaming may go on after this; liveness then only asks whether the JVM answers.
 */
export const STARTUP_SCRIPT = [
  SMALL_NODETOOL_HEAP,
  'out="$(nodetool "${jmx[@]}" info 2>&1)" || { echo "nodetool info failed: $(printf %s "$out" | tail -n 2)"; exit 1; }',
  'printf %s "$out" | grep -Eq \'^Gossip active[[:space:]]*:[[:space:]]*true\' || { echo "gossip is not active yet"; exit 1; }',
].join('\n');

/**
 * Readiness probe: this node serves CQL (native transport active, which Cassandra turns on only
 * once the node has joined the ring). It asks the local node only, never the cluster, so a full
 * restart under OrderedReady cannot deadlock.
 */
export const READINESS_SCRIPT = [
  SMALL_NODETOOL_HEAP,
  'out="$(nodetool "${jmx[@]}" info 2>&1)" || { echo "nodetool info failed: $(printf %s "$out" | tail -n 2)"; exit 1; }',
  'printf %s "$out" | grep -Eq \'^Native Transport active[[:space:]]*:[[:space:]]*true\' || { echo "native transport (CQL) is not active"; exit 1; }',
].join('\n');

/** Liveness probe: the JVM answers JMX locally. Cheap for Cassandra, generous in timing. */
export const LIVENESS_SCRIPT = `${SMALL_NODETOOL_HEAP}\nnodetool "\${jmx[@]}" version >/dev/null`;

/** preStop hook: flush memtables and stop accepting writes, so a restart replays no commit log. */
export const PRESTOP_SCRIPT = `${SMALL_NODETOOL_HEAP}\nnodetool "\${jmx[@]}" drain`;

/**
 * JMX authentication files (appended to the config init container's script when repairs are
 * on): `jmxremote.password` (the JVM refuses one that others can read) and `jmxremote.access`
 * granting the account read-write, next to `cassandra.yaml` in the writable config directory.
 *
 * Env: CONFIG_TARGET, JMX_USERNAME and JMX_PASSWORD (secretKeyRef).
 */
export const JMX_FILES_SCRIPT = [
  'jmx_user="${JMX_USERNAME:?JMX_USERNAME is not set}"',
  'jmx_pass="${JMX_PASSWORD:?JMX_PASSWORD is not set}"',
  'case "$jmx_user$jmx_pass" in *[[:space:]]*) echo "the JMX username and password must not contain blank space (the JMX password file separates fields with it); change the Secret" >&2; exit 1 ;; esac',
  'rm -f "$CONFIG_TARGET/jmxremote.password" "$CONFIG_TARGET/jmxremote.access"',
  '(umask 077; printf \'%s %s\\n\' "$jmx_user" "$jmx_pass" > "$CONFIG_TARGET/jmxremote.password")',
  'chmod 400 "$CONFIG_TARGET/jmxremote.password"',
  'printf \'%s readwrite\\n\' "$jmx_user" > "$CONFIG_TARGET/jmxremote.access"',
  'echo "JMX authentication files written for $jmx_user"',
].join('\n');

/**
 * The exporter's start when JMX needs a login: its configuration is the ConfigMap's with the
 * account added (YAML single-quoted), written to its private /tmp, then the JVM starts on it.
 *
 * Env: EXPORTER_CONFIG (the ConfigMap's file), EXPORTER_RUNTIME_CONFIG, JMX_USERNAME and
 * JMX_PASSWORD (secretKeyRef); arguments: the java command line before the config file.
 */
export const EXPORTER_START_SCRIPT = [
  'set -eu',
  'umask 077',
  'q="\'"',
  'out="${EXPORTER_RUNTIME_CONFIG:-/tmp/config.yml}"',
  '{',
  '  grep -Ev \'^(user|password):\' "${EXPORTER_CONFIG:-/etc/cassandra_exporter/config.yml}"',
  '  printf "user: \'%s\'\\npassword: \'%s\'\\n" "${JMX_USERNAME//$q/$q$q}" "${JMX_PASSWORD//$q/$q$q}"',
  '} > "$out"',
  'exec "$@" "$out"',
].join('\n');

/**
 * The repair Job: repairs the primary ranges of every node (`nodetool repair --full
 * --partitioner-range`), one node after the other, over authenticated JMX.
 *
 * - It never overlaps another repair: the CronJob forbids concurrent runs, and a run that finds
 *   repair work still active on a node (left by a run stopped at its deadline) stops at once.
 * - A down node does not stop it: the live nodes are repaired among the live replicas
 *   (`--force`); the run then exits 1 so that the failure shows as an alert.
 * - It exits 1 when any node was down or any repair failed, after trying every node.
 *
 * Env: NODES (the nodes' stable DNS names, space-separated, in order), JMX_PORT, KEYSPACES
 * (space-separated, empty for all), JMX_USERNAME and JMX_PASSWORD (secretKeyRef), HOME (writable,
 * private: the password file goes there).
 */
export const REPAIR_SCRIPT = [
  'set -u',
  'umask 077',
  'user="${JMX_USERNAME:?JMX_USERNAME is not set}"',
  'pass="${JMX_PASSWORD:?JMX_PASSWORD is not set}"',
  'case "$user$pass" in *[[:space:]]*) echo "the JMX username and password must not contain blank space; change the Secret" >&2; exit 1 ;; esac',
  'pwfile="${HOME:-/tmp}/jmxremote.password"',
  'printf \'%s %s\\n\' "$user" "$pass" > "$pwfile" || exit 1',
  'port="${JMX_PORT:-7199}"',
  'export MAX_HEAP_SIZE=256M HEAP_NEWSIZE=64M',
  'nt() { local host="$1"; shift; nodetool -h "$host" -p "$port" -u "$user" -pwf "$pwfile" "$@"; }',
  'read -r -a nodes <<< "${NODES:?NODES is not set}"',
  'read -r -a keyspaces <<< "${KEYSPACES:-}"',
  'live=(); down=()',
  'for host in "${nodes[@]}"; do',
  '  if nt "$host" version >/dev/null 2>&1; then live+=("$host"); else down+=("$host"); fi',
  'done',
  'if [ ${#live[@]} -eq 0 ]; then echo "no node answers on JMX: nothing repaired" >&2; exit 1; fi',
  'for host in "${live[@]}"; do',
  '  active="$(nt "$host" tpstats 2>/dev/null | awk \'$1 ~ /^(ValidationExecutor|Repair-Task|RepairJobTask|AntiEntropyStage)$/ && $2 > 0 { printf "%s ", $1 }\')"',
  '  if [ -n "$active" ]; then echo "repair work is still active on $host (${active% }): this run does not start another" >&2; exit 1; fi',
  'done',
  'force=()',
  'if [ ${#down[@]} -gt 0 ]; then',
  '  echo "down, not repaired this run: ${down[*]}; the other nodes are repaired among live replicas (--force)"',
  '  force=(--force)',
  'fi',
  'failed=()',
  'for host in "${live[@]}"; do',
  '  ok=true',
  '  if [ ${#keyspaces[@]} -eq 0 ]; then',
  '    echo "repairing the primary ranges of $host"',
  '    nt "$host" repair --full --partitioner-range "${force[@]}" || ok=false',
  '  else',
  '    for ks in "${keyspaces[@]}"; do',
  '      echo "repairing the primary ranges of $host in keyspace $ks"',
  '      nt "$host" repair --full --partitioner-range "${force[@]}" -- "$ks" || ok=false',
  '    done',
  '  fi',
  '  $ok || failed+=("$host")',
  'done',
  'if [ ${#down[@]} -gt 0 ] || [ ${#failed[@]} -gt 0 ]; then',
  '  echo "repair incomplete: down ${down[*]:-none}; failed ${failed[*]:-none}" >&2',
  '  exit 1',
  'fi',
  'echo "repair complete: ${#live[@]} nodes"',
].join('\n');

/**
 * The superuser Job: replaces the default `cassandra`/`cassandra` superuser with the one in the
 * referenced Secret. Idempotent: each attempt logs in as the new superuser if it exists, else
 * creates it as `cassandra`; then sets `system_auth` replication (when given) and drops the
 * default role. Attempts repeat until they succeed or `SETUP_TIMEOUT_SECONDS` passes (writes to
 * the auth tables need a quorum, so it converges once enough nodes are up).
 *
 * No password reaches a command line (the process list shows those): cqlsh reads each login from
 * a credentials file (`--credentials`, mode 0600; see CQLSH_LOGIN_FUNCTIONS), and the statements,
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
  CQLSH_LOGIN_FUNCTIONS,
  'cqlsh_login_check "the superuser name" "$user" && cqlsh_login_check "the superuser password" "$pass" || exit 1',
  'q="\'"; dq=\'"\'',
  'ident="$dq${user//$dq/$dq$dq}$dq"',
  'literal="$q${pass//$q/$q$q}$q"',
  'dir="${CREDENTIALS_DIR:-$HOME/.cassandra}"',
  'mkdir -p "$dir" && chmod 700 "$dir" || exit 1',
  'cqlsh_login "$dir/superuser" "$user" "$pass" || exit 1',
  'cqlsh_login "$dir/default" cassandra cassandra || exit 1',
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
