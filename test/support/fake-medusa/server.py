"""A recording stand-in for Medusa's gRPC server (no Medusa or Cassandra can run in the tests).

One server per loopback address, all on one port, so that each address is one Cassandra node's
Medusa sidecar. Each node's behaviour comes from a JSON map (address -> settings):
  backup: "ok" (default), "fail" (BackupStatus reports FAILED), "refuse" (AsyncBackup errors),
          "hang" (stays IN_PROGRESS)
  polls:  BackupStatus calls answered IN_PROGRESS before the result (default 1)
  purge:  "ok" (default) or "fail"
Every call is appended to the log file as a JSON line {node, method, request}.
Usage: server.py ADDRESSES(comma-separated) BEHAVIOUR_JSON LOG_FILE; prints "READY <port>".
"""
import json
import sys
import threading
from concurrent import futures

import grpc
from medusa.service.grpc import medusa_pb2, medusa_pb2_grpc

addresses = sys.argv[1].split(",")
behaviour = json.loads(sys.argv[2])
log_path = sys.argv[3]
lock = threading.Lock()


def record(node, method, request):
    with lock, open(log_path, "a") as f:
        f.write(json.dumps({"node": node, "method": method, "request": request}) + "\n")


class Node(medusa_pb2_grpc.MedusaServicer):
    def __init__(self, address):
        self.address = address
        self.settings = behaviour.get(address, {})
        self.polls = {}

    def AsyncBackup(self, request, context):
        record(self.address, "AsyncBackup", {"name": request.name, "mode": medusa_pb2.BackupRequest.Mode.Name(request.mode)})
        if self.settings.get("backup") == "refuse":
            context.abort(grpc.StatusCode.INTERNAL, "stand-in refuses the backup")
        self.polls[request.name] = 0
        return medusa_pb2.BackupResponse(backupName=request.name, status=medusa_pb2.StatusType.IN_PROGRESS)

    def BackupStatus(self, request, context):
        record(self.address, "BackupStatus", {"backupName": request.backupName})
        if request.backupName not in self.polls:
            context.abort(grpc.StatusCode.NOT_FOUND, "backup <%s> does not exist" % request.backupName)
        self.polls[request.backupName] += 1
        outcome = self.settings.get("backup", "ok")
        if outcome == "hang" or self.polls[request.backupName] <= self.settings.get("polls", 1):
            status = medusa_pb2.StatusType.IN_PROGRESS
        else:
            status = medusa_pb2.StatusType.FAILED if outcome == "fail" else medusa_pb2.StatusType.SUCCESS
        return medusa_pb2.BackupStatusResponse(startTime="2026-01-01 02:00:00", status=status)

    def PurgeBackups(self, request, context):
        record(self.address, "PurgeBackups", {})
        if self.settings.get("purge") == "fail":
            context.abort(grpc.StatusCode.INTERNAL, "purging backups failed")
        return medusa_pb2.PurgeBackupsResponse(nbBackupsPurged=2, nbObjectsPurged=10)


servers = []
port = 0
for address in addresses:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    medusa_pb2_grpc.add_MedusaServicer_to_server(Node(address), server)
    port = server.add_insecure_port("%s:%d" % (address, port))
    server.start()
    servers.append(server)
print("READY %d" % port, flush=True)
servers[0].wait_for_termination()
