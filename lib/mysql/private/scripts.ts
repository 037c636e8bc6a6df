/**
 * Shell scripts that run inside MySqlSingleNode's pods: probes, data-directory preparation,
 * backup and restore. They are POSIX sh (the official image's `/bin/sh` is bash; Debian's is
 * dash; both run them), take every path and address from environment variables, and never
 * contain a credential: the password is read from a mounted Secret file into `MYSQL_PWD`, which
 * the MySQL client programs read and which does not show in the process list.
 *
 * The tests run these exact strings, taken from the synthesized manifests, against a real server.
 */

/** Where the root password Secret is mounted in the database and job containers. */
export const ROOT_SECRET_DIR = '/etc/mysql-credentials/root';
/** Where the application user's Secret is mounted in the database container. */
export const USER_SECRET_DIR = '/etc/mysql-credentials/user';
/** Where the data volume's root is mounted in the init container. */
export const DATA_VOLUME_ROOT = '/data';
/** The subdirectory of the data volume that holds the data directory. */
export const DATA_SUBPATH = 'mysql';
/** Where the backup volume is mounted in the backup and restore jobs. */
export const BACKUP_DIR = '/backup';

/** Reads the root password file named by `MYSQL_ROOT_PASSWORD_FILE` into `MYSQL_PWD`. */
const LOAD_ROOT_PASSWORD = 'MYSQL_PWD="$(cat "$MYSQL_ROOT_PASSWORD_FILE")"; export MYSQL_PWD';

/**
 * Loopback address and port of the server seen from inside its pod. The port honours
 * `MYSQL_TCP_PORT` (the MySQL clients' own variable), which the pod does not set, so it is 3306
 * there; the tests set it to the throwaway server's port.
 */
const LOCAL_SERVER = '--host=127.0.0.1 --port="${MYSQL_TCP_PORT:-3306}" --user=root --connect-timeout=5';

/**
 * Liveness and startup: `mysqladmin ping` over TCP. It exits 0 whenever the server answers,
 * even with "access denied", so a rotated Secret never gets a healthy server killed; it fails
 * when nothing listens (during initialization the entrypoint's temporary server listens only
 * on its socket, which the startup probe's budget covers).
 */
export const PING_SCRIPT = `${LOAD_ROOT_PASSWORD}; exec mysqladmin ${LOCAL_SERVER} ping`;

/**
 * Readiness: a real query over TCP with the root credentials. It fails while the server is
 * initializing, recovering or refusing logins, so the Service only routes to a server that
 * answers queries.
 */
export const QUERY_SCRIPT = `${LOAD_ROOT_PASSWORD}; exec mysql ${LOCAL_SERVER} --batch --skip-column-names --execute='SELECT 1'`;

/**
 * Creates the data directory on the volume as the database user. A `subPath` directory that
 * the kubelet creates itself is owned by root with mode 0755, which uid 999 cannot write; the
 * volume root is group-writable through `fsGroup`, so creating it here works. The pod does
 * not set `DATA_VOLUME_ROOT`; tests point it at a scratch directory.
 */
export const PREPARE_DATA_SCRIPT = `mkdir -p "\${DATA_VOLUME_ROOT:-${DATA_VOLUME_ROOT}}/${DATA_SUBPATH}"`;

/** File names the backup job writes: `<prefix>-<UTC timestamp>.sql.gz`. */
const DUMP_NAME_PATTERN = '^${BACKUP_PREFIX}-[0-9]{8}T[0-9]{6}Z\\.sql\\.gz$';

/** Binary log file names: the server's base name and a six-digit sequence number. */
const BINLOG_NAME_PATTERN = '^[A-Za-z0-9_-][A-Za-z0-9._-]*\\.[0-9]{6}$';

/** Connection options for the jobs, which reach the server through its Service. */
const REMOTE_SERVER = '--host="$MYSQL_HOST" --port="$MYSQL_TCP_PORT" --user=root';

/**
 * The backup job. Environment: `MYSQL_HOST`, `MYSQL_TCP_PORT`, `MYSQL_ROOT_PASSWORD_FILE`,
 * `BACKUP_DIR`, `BACKUP_PREFIX`, `BACKUP_KEEP`, `BACKUP_TIMEOUT_MINUTES` (the Job's deadline:
 * partial files older than that belong to runs that were killed and are removed; younger ones
 * may belong to a run started by hand and are left alone), and optionally `BACKUP_DATABASES`
 * (space-separated; default every non-system database, listed at run time).
 *
 * It dumps with `--single-transaction` (a consistent InnoDB snapshot without locking writers),
 * compresses into a hidden partial file, checks that the gzip stream is sound and that the
 * dump ends with mysqldump's completion marker (POSIX sh has no pipefail, and this also catches
 * a truncated file), then renames it into place (atomic within one directory) and deletes all
 * but the newest `BACKUP_KEEP` dumps. A failed run leaves the earlier dumps untouched.
 */
export const BACKUP_SCRIPT = [
  'set -eu',
  'umask 077',
  LOAD_ROOT_PASSWORD,
  'cd "$BACKUP_DIR"',
  'stamp="$(date -u +%Y%m%dT%H%M%SZ)"',
  'final="${BACKUP_PREFIX}-${stamp}.sql.gz"',
  'partial=".${final}.partial"',
  'find . -maxdepth 1 -name ".*.sql.gz.partial" -mmin +"$BACKUP_TIMEOUT_MINUTES" -exec rm -f {} +',
  'trap \'rm -f "$partial"\' EXIT',
  // The database names become the positional parameters, one word each, never split or globbed.
  'set --',
  'if [ -n "${BACKUP_DATABASES:-}" ]; then',
  // Names validated at synth time (letters, digits, "_"), separated by spaces; no globbing.
  '  set -f; for db in $BACKUP_DATABASES; do set -- "$@" "$db"; done; set +f',
  'else',
  // Names found at run time may hold any character: --batch escapes tab, newline and backslash
  // (\t, \n, \\), which printf %b turns back; the trailing "x" keeps a trailing newline.
  `  listing="$(mysql ${REMOTE_SERVER} --batch --skip-column-names --execute="SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY schema_name")"`,
  '  while IFS= read -r line; do',
  '    [ -n "$line" ] || continue',
  '    db="$(printf \'%bx\' "$line")"',
  '    set -- "$@" "${db%x}"',
  '  done <<EOF',
  '$listing',
  'EOF',
  'fi',
  'if [ "$#" -eq 0 ]; then',
  '  echo "backup: no application database to dump" >&2',
  '  exit 1',
  'fi',
  // With point-in-time recovery the dump records its binary log coordinates in a comment (MySQL
  // 8.4 calls the option --source-data, MariaDB --master-data).
  'position=',
  'if [ -n "${BACKUP_BINLOG_POSITION:-}" ]; then',
  '  if mysqldump --help | grep -q -- --source-data; then position=--source-data=2; else position=--master-data=2; fi',
  'fi',
  // "--" ends mysqldump's options: a database named "--no-data" stays a name.
  `mysqldump ${REMOTE_SERVER} --single-transaction --quick --routines --events --triggers --hex-blob $position --databases -- "$@" | gzip -c > "$partial"`,
  'gzip -t "$partial"',
  'if ! gzip -dc "$partial" | tail -n 1 | grep -q "^-- Dump completed"; then',
  '  echo "backup: the dump is incomplete (mysqldump failed); earlier dumps are kept" >&2',
  '  exit 1',
  'fi',
  'mv "$partial" "$final"',
  'echo "backup: wrote $BACKUP_DIR/$final ($(wc -c < "$final") bytes)"',
  `ls -1 | grep -E "${DUMP_NAME_PATTERN}" | sort -r | tail -n +"$((BACKUP_KEEP + 1))" | while read -r old; do`,
  '  rm -f "$old"',
  '  echo "backup: removed $old"',
  'done',
].join('\n');

/**
 * The restore job. Environment as for the backup, plus optionally `RESTORE_FILE` (a file name
 * in `BACKUP_DIR`; default the newest dump) and `RESTORE_UNTIL` (`YYYY-MM-DD HH:MM:SS`, UTC):
 * then, after loading the dump, it replays the binary logs in `BACKUP_DIR/binlog` from the
 * coordinates the dump recorded up to that time (events at or after it are left out). It refuses a dump that is not a sound gzip stream
 * or lacks mysqldump's completion marker, then loads it: the dump recreates each database it
 * contains and replaces its tables (`DROP TABLE IF EXISTS`), leaving other databases alone.
 */
export const RESTORE_SCRIPT = [
  'set -eu',
  LOAD_ROOT_PASSWORD,
  'cd "$BACKUP_DIR"',
  'file="${RESTORE_FILE:-}"',
  'if [ -z "$file" ]; then',
  `  file="$(ls -1 | grep -E "${DUMP_NAME_PATTERN}" | sort -r | head -n 1)"`,
  'fi',
  'if [ -z "$file" ] || [ ! -f "$file" ]; then',
  '  echo "restore: no dump to restore in $BACKUP_DIR (RESTORE_FILE=${RESTORE_FILE:-})" >&2',
  '  exit 1',
  'fi',
  'gzip -t "$file"',
  'if ! gzip -dc "$file" | tail -n 1 | grep -q "^-- Dump completed"; then',
  '  echo "restore: $file is incomplete; refusing to load it" >&2',
  '  exit 1',
  'fi',
  'echo "restore: loading $file into $MYSQL_HOST"',
  `gzip -dc "$file" | mysql ${REMOTE_SERVER} --batch`,
  'if [ -n "${RESTORE_UNTIL:-}" ]; then',
  // The coordinates the dump recorded: the first binary log to replay and where in it.
  `  coordinates="$(gzip -dc "$file" | head -n 100 | sed -n "s/.*LOG_FILE='\\([^']*\\)', *[A-Z]*_LOG_POS=\\([0-9]*\\).*/\\1 \\2/p" | head -n 1)"`,
  '  if [ -z "$coordinates" ]; then',
  '    echo "restore: $file holds no binary log coordinates (it was taken without point-in-time recovery)" >&2',
  '    exit 1',
  '  fi',
  '  first="${coordinates% *}"',
  '  position="${coordinates#* }"',
  '  cd "$BACKUP_DIR/binlog"',
  '  set --',
  `  for log in $(ls -1 | grep -E '${BINLOG_NAME_PATTERN}' | sort); do`,
  '    if [ "$#" -gt 0 ] || [ "$log" = "$first" ]; then set -- "$@" "$log"; fi',
  '  done',
  '  if [ "$#" -eq 0 ]; then',
  '    echo "restore: binary log $first, where $file ends, is not in the archive" >&2',
  '    exit 1',
  '  fi',
  '  echo "restore: replaying $* from position $position until $RESTORE_UNTIL (UTC)"',
  // mysqlbinlog reads --stop-datetime in its local time zone: TZ=UTC is set on the container.
  `  mysqlbinlog --start-position="$position" --stop-datetime="$RESTORE_UNTIL" -- "$@" | mysql ${REMOTE_SERVER} --batch`,
  '  echo "restore: replayed the binary logs until $RESTORE_UNTIL"',
  'fi',
  'echo "restore: done"',
].join('\n');

/**
 * Settings rclone reads from the environment in the upload and download containers: no config
 * file (the remote is given inline, `:s3:bucket/path`, `:gcs:...`, `:azureblob:...`) and a
 * writable home for its cache. The provider's no-bucket-check switch goes between the two.
 */
export const RCLONE_ENV: Record<string, string> = {
  RCLONE_CONFIG: '/dev/null',
  HOME: '/tmp',
};

/**
 * The upload step of the dump Job (rclone image), after the dump step has written a sound dump to
 * `BACKUP_DIR`. Environment: `BACKUP_DIR`, `BACKUP_PREFIX`, `BACKUP_REMOTE` (an rclone remote
 * such as `:s3:bucket/path`), `BACKUP_REMOTE_KEEP`, and rclone's own `RCLONE_S3_*` settings
 * (credentials from Secrets). It copies the newest dump (rclone checks size and checksum after
 * the transfer), then deletes all but the newest `BACKUP_REMOTE_KEEP` dumps in the bucket.
 */
export const UPLOAD_SCRIPT = [
  'set -eu',
  'cd "$BACKUP_DIR"',
  `file="$(ls -1 | grep -E "${DUMP_NAME_PATTERN}" | sort -r | head -n 1)"`,
  'if [ -z "$file" ]; then',
  '  echo "upload: no dump in $BACKUP_DIR" >&2',
  '  exit 1',
  'fi',
  'rclone copyto "$file" "$BACKUP_REMOTE/$file"',
  'echo "upload: copied $file to $BACKUP_REMOTE"',
  `rclone lsf --files-only "$BACKUP_REMOTE" | grep -E "${DUMP_NAME_PATTERN}" | sort -r | tail -n +"$((BACKUP_REMOTE_KEEP + 1))" > "\${TMPDIR:-/tmp}/expired"`,
  'while read -r old; do',
  '  rclone deletefile "$BACKUP_REMOTE/$old"',
  '  echo "upload: removed $old from the bucket"',
  'done < "${TMPDIR:-/tmp}/expired"',
].join('\n');

/**
 * The download step of a restore Job reading from the bucket (rclone image). Environment:
 * `BACKUP_DIR` (a scratch volume), `BACKUP_PREFIX`, `BACKUP_REMOTE`, rclone's settings, and
 * optionally `RESTORE_FILE` (default the newest dump in the bucket, or with `RESTORE_BEFORE`, a
 * `YYYYMMDDTHHMMSSZ` stamp, the newest taken before then). The restore step then loads
 * the one file it finds in `BACKUP_DIR`.
 */
export const DOWNLOAD_SCRIPT = [
  'set -eu',
  'file="${RESTORE_FILE:-}"',
  'if [ -z "$file" ]; then',
  // With RESTORE_BEFORE (a dump time stamp) the newest dump taken before it; else the newest.
  `  file="$(rclone lsf --files-only "$BACKUP_REMOTE" | grep -E "${DUMP_NAME_PATTERN}" | sort | awk -v limit="$BACKUP_PREFIX-\${RESTORE_BEFORE:-99999999T999999Z}" '$0 < limit' | tail -n 1)"`,
  'fi',
  'if [ -z "$file" ]; then',
  '  echo "download: no dump in $BACKUP_REMOTE" >&2',
  '  exit 1',
  'fi',
  'rclone copyto "$BACKUP_REMOTE/$file" "$BACKUP_DIR/$file"',
  'echo "download: fetched $file from $BACKUP_REMOTE"',
].join('\n');

/** Where the binary log sidecars share their files in the database pod. */
export const BINLOG_DIR = '/binlog';

/**
 * The binary log streaming sidecar (mysql image) of point-in-time recovery. Environment:
 * `MYSQL_ROOT_PASSWORD_FILE`, `BINLOG_DIR`, `BINLOG_SERVER_ID` (a replication id no server uses).
 * It waits for the server, then streams every binary log as it is written (`--raw`, files named
 * as on the server) and never stops. It resumes from the newest file it still has, or from the
 * oldest binary log on the server when its directory is empty (after a pod restart).
 */
export const BINLOG_STREAM_SCRIPT = [
  'set -eu',
  LOAD_ROOT_PASSWORD,
  'cd "$BINLOG_DIR"',
  `until mysql ${LOCAL_SERVER} --batch --skip-column-names --execute='SELECT 1' >/dev/null 2>&1; do sleep 5; done`,
  `start="$(ls -1 | grep -E '${BINLOG_NAME_PATTERN}' | sort | tail -n 1)"`,
  'if [ -z "$start" ]; then',
  `  start="$(mysql ${LOCAL_SERVER} --batch --skip-column-names --execute='SHOW BINARY LOGS' | head -n 1 | cut -f 1)"`,
  'fi',
  'if [ -z "$start" ]; then',
  '  echo "binlog: the server writes no binary log (log_bin is off)" >&2',
  '  exit 1',
  'fi',
  // MySQL 8 names the replica id option --connection-server-id, MariaDB --stop-never-slave-server-id.
  'if mysqlbinlog --help | grep -q -- --connection-server-id; then id="--connection-server-id=$BINLOG_SERVER_ID"; else id="--stop-never-slave-server-id=$BINLOG_SERVER_ID"; fi',
  'echo "binlog: streaming from $start"',
  // mysqlbinlog has no --connect-timeout: the server is known to answer by now.
  'exec mysqlbinlog --read-from-remote-server --host=127.0.0.1 --port="${MYSQL_TCP_PORT:-3306}" --user=root --raw --stop-never "$id" -- "$start"',
].join('\n');

/**
 * The binary log upload sidecar (rclone image). Environment: `BINLOG_DIR`, `BACKUP_REMOTE`,
 * `BINLOG_UPLOAD_SECONDS`, rclone's settings. Every interval it copies the binary logs that
 * changed to `<remote>/binlog` (the one being written again each time, as it grows), then deletes
 * the local copies of the finished ones: all but the newest.
 */
export const BINLOG_UPLOAD_SCRIPT = [
  'set -eu',
  'cd "$BINLOG_DIR"',
  'while true; do',
  `  ls -1 | grep -E '${BINLOG_NAME_PATTERN}' | sort > "\${TMPDIR:-/tmp}/binlogs" || true`,
  // The newest file grows while it is copied: --local-no-check-updated takes what is there now.
  '  if [ ! -s "${TMPDIR:-/tmp}/binlogs" ]; then',
  '    :',
  '  elif rclone copy --size-only --local-no-check-updated --files-from "${TMPDIR:-/tmp}/binlogs" . "$BACKUP_REMOTE/binlog"; then',
  '    finished="$(($(wc -l < "${TMPDIR:-/tmp}/binlogs") - 1))"',
  '    head -n "$finished" "${TMPDIR:-/tmp}/binlogs" | while read -r done_log; do rm -f "$done_log"; done',
  '  else',
  '    echo "binlog: upload failed; retrying in $BINLOG_UPLOAD_SECONDS seconds" >&2',
  '  fi',
  '  touch "${TMPDIR:-/tmp}/binlog-upload.heartbeat"',
  '  sleep "$BINLOG_UPLOAD_SECONDS"',
  'done',
].join('\n');

/**
 * The binary log download step of a point-in-time restore (rclone image), after the dump's:
 * copies `<remote>/binlog` into `BACKUP_DIR/binlog`.
 */
export const BINLOG_DOWNLOAD_SCRIPT = [
  'set -eu',
  'mkdir -p "$BACKUP_DIR/binlog"',
  'rclone copy "$BACKUP_REMOTE/binlog" "$BACKUP_DIR/binlog"',
  'echo "download: fetched $(ls -1 "$BACKUP_DIR/binlog" | wc -l) binary logs"',
].join('\n');

/**
 * Liveness of the binary log uploader: a round finished within the last 10 minutes (a hung
 * transfer gets the container restarted).
 */
export const BINLOG_UPLOAD_ALIVE_SCRIPT = 'test -n "$(find "${TMPDIR:-/tmp}/binlog-upload.heartbeat" -mmin -10 2>/dev/null)"';

/**
 * Readiness of the binary log sidecars: their volume is mounted. Deliberately always true once
 * started: a sidecar's readiness gates the whole pod, and archiving trouble must not take the
 * database out of its Service (the MySQLBinlogArchivingDown alert reports it instead).
 */
export const BINLOG_READY_SCRIPT = 'test -d "$BINLOG_DIR"';
