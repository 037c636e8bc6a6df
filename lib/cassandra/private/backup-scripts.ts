/**
 * The scripts the Medusa backup feature carries. Each reads its inputs from the environment
 * (documented above it) and runs verbatim in the tests: BACKUP_SCRIPT against a stand-in Medusa
 * gRPC server on loopback, the shell ones under bash against stand-in files and commands.
 */

/**
 * The backup CronJob's client, run by the Medusa image's own Python with Medusa's generated gRPC
 * modules. Asks every node for a backup of the same name (AsyncBackup), polls BackupStatus until
 * every node reports SUCCESS or FAILED, and, only when every node succeeded, asks every node to
 * purge backups beyond the retention in medusa.ini (PurgeBackups). Exits 1 when any node failed,
 * did not answer or did not finish before DEADLINE_SECONDS.
 *
 * Environment: NODES (space-separated host names), MEDUSA_PORT, BACKUP_NAME_PREFIX, BACKUP_MODE
 * (FULL or DIFFERENTIAL), POLL_INTERVAL_SECONDS, RPC_TIMEOUT_SECONDS, DEADLINE_SECONDS.
 */
export const BACKUP_SCRIPT = `
import os, sys, time
from datetime import datetime, timezone
import grpc
from medusa.service.grpc import medusa_pb2, medusa_pb2_grpc

env = os.environ
nodes = env["NODES"].split()
rpc_timeout = int(env["RPC_TIMEOUT_SECONDS"])
poll = int(env["POLL_INTERVAL_SECONDS"])
deadline = time.monotonic() + int(env["DEADLINE_SECONDS"])
name = env["BACKUP_NAME_PREFIX"] + "-" + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
mode = medusa_pb2.BackupRequest.Mode.Value(env["BACKUP_MODE"])
stubs = {n: medusa_pb2_grpc.MedusaStub(grpc.insecure_channel(n + ":" + env["MEDUSA_PORT"])) for n in nodes}
failed = []

print("backup " + name + " on " + str(len(nodes)) + " nodes", flush=True)
pending = []
for node, stub in stubs.items():
    try:
        stub.AsyncBackup(medusa_pb2.BackupRequest(name=name, mode=mode), timeout=rpc_timeout)
        pending.append(node)
    except grpc.RpcError as e:
        print(node + ": backup not started: " + str(e.code()) + " " + str(e.details()), flush=True)
        failed.append(node)

while pending:
    if time.monotonic() > deadline:
        for node in pending:
            print(node + ": backup not finished before the deadline", flush=True)
        failed.extend(pending)
        break
    time.sleep(poll)
    for node in list(pending):
        try:
            status = stubs[node].BackupStatus(medusa_pb2.BackupStatusRequest(backupName=name), timeout=rpc_timeout).status
        except grpc.RpcError as e:
            print(node + ": status unknown: " + str(e.code()) + " " + str(e.details()), flush=True)
            continue
        if status == medusa_pb2.StatusType.SUCCESS:
            print(node + ": backup done", flush=True)
            pending.remove(node)
        elif status != medusa_pb2.StatusType.IN_PROGRESS:
            print(node + ": backup " + medusa_pb2.StatusType.Name(status), flush=True)
            pending.remove(node)
            failed.append(node)

if failed:
    print("backup " + name + " failed on " + " ".join(failed) + "; nothing purged", flush=True)
    sys.exit(1)

for node, stub in stubs.items():
    try:
        purged = stub.PurgeBackups(medusa_pb2.PurgeBackupsRequest(), timeout=rpc_timeout)
        print(node + ": purged " + str(purged.nbBackupsPurged) + " backups", flush=True)
    except grpc.RpcError as e:
        print(node + ": purge failed: " + str(e.code()) + " " + str(e.details()), flush=True)
        failed.append(node)
print("backup " + name + " complete", flush=True)
sys.exit(1 if failed else 0)
`.trimStart();

/**
 * The `cassandra-tools` init container (Cassandra image): copies nodetool and the Java runtime
 * into an emptyDir the Medusa sidecar takes snapshots with (the Medusa image has no Java).
 * Environment: CASSANDRA_HOME, JAVA_HOME (the image's), TOOLS_DIR.
 */
export const TOOLS_COPY_SCRIPT = [
  'set -euo pipefail',
  'mkdir -p "$TOOLS_DIR/cassandra"',
  'cp -a "$CASSANDRA_HOME/bin" "$CASSANDRA_HOME/lib" "$TOOLS_DIR/cassandra/"',
  // nodetool reads the configuration of the node from CASSANDRA_CONF (the shared /etc/cassandra).
  'cp -a "$JAVA_HOME/." "$TOOLS_DIR/java"',
  'echo "nodetool and java copied to $TOOLS_DIR"',
].join('\n');

/**
 * The `medusa-restore` init container: restores BACKUP_NAME onto this node's volume once per
 * RESTORE_ID (recorded in `$DATA_DIR/.last-restore`, as Medusa's own entrypoint does), with the
 * Medusa image's Python and Medusa's restore module. For a new datacenter, RESTORE_SOURCES lists
 * `pod=source-node` pairs: this pod downloads its source node's backup (`fqdn` appended to a
 * private copy of the configuration in TMPDIR or /tmp, whose last section is `[storage]`); a pod without a source
 * restores nothing. Environment: BACKUP_NAME, RESTORE_ID, DATA_DIR, MEDUSA_PYTHON, MEDUSA_CONFIG,
 * POD_NAME, RESTORE_SOURCES (optional); Medusa reads RESTORE_MAPPING and MEDUSA_TMP_DIR itself.
 */
export const RESTORE_SCRIPT = [
  'set -euo pipefail',
  'marker="$DATA_DIR/.last-restore"',
  'if [ -f "$marker" ] && [ "$(cat "$marker")" = "$RESTORE_ID" ]; then',
  '  echo "restore $RESTORE_ID already applied to this node"',
  '  exit 0',
  'fi',
  'config="$MEDUSA_CONFIG"',
  'if [ -n "${RESTORE_SOURCES:-}" ]; then',
  '  source_node=""',
  '  for pair in $RESTORE_SOURCES; do',
  '    if [ "${pair%%=*}" = "$POD_NAME" ]; then source_node="${pair#*=}"; fi',
  '  done',
  '  if [ -z "$source_node" ]; then',
  '    echo "no backed-up node is mapped to $POD_NAME: nothing to restore"',
  '    exit 0',
  '  fi',
  '  config="${TMPDIR:-/tmp}/medusa-restore.ini"',
  '  cp "$MEDUSA_CONFIG" "$config"',
  '  printf \'fqdn = %s\\n\' "$source_node" >> "$config"',
  '  echo "restoring the backup of $source_node"',
  'fi',
  'echo "restoring backup $BACKUP_NAME (restore $RESTORE_ID)"',
  '"$MEDUSA_PYTHON" -m medusa.service.grpc.restore "$config" "$RESTORE_ID"',
  'printf \'%s\\n\' "$RESTORE_ID" > "$marker"',
].join('\n');
