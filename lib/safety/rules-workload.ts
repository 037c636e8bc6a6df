import { RawFinding, RuleGroup, onHead, show } from './rule';
import { Manifest, activeOrdinals, containersOf, deepEqual, differingPaths, holdsData, isKind, isStatefulSet, labelsOf, mountsClaim } from './identity';
import { isCassandraRack } from './rules-removal';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** A Deployment that runs MySQL (by its name label or the image of one of its containers). */
function isMySql(obj: Manifest): boolean {
  if (labelsOf(obj)['app.kubernetes.io/name'] === 'mysql') return true;
  return containersOf(obj).some(c => /(^|\/)(mysql|mysql-server|mariadb)(:|@|$)/.test(String(c.image ?? '')));
}

/** Environment variables the official MySQL image reads only when it initializes an empty data directory. */
const MYSQL_INIT_ONLY = ['MYSQL_DATABASE', 'MYSQL_USER', 'MYSQL_USER_FILE', 'MYSQL_PASSWORD_FILE', 'MYSQL_ROOT_PASSWORD_FILE'];

/** Environment variables of the official Cassandra image that fix a node's identity once it has started. */
const CASSANDRA_IDENTITY = ['CASSANDRA_CLUSTER_NAME', 'CASSANDRA_DC', 'CASSANDRA_RACK', 'CASSANDRA_NUM_TOKENS', 'CASSANDRA_ENDPOINT_SNITCH'];

/** The literal value of an environment variable in the workload's main containers (first found). */
function envValue(obj: Manifest, name: string): string | undefined {
  for (const c of (obj.spec?.template?.spec?.containers ?? []) as Manifest[]) {
    const e = (c.env ?? []).find((v: Manifest) => v.name === name);
    if (e) return e.value;
  }
  return undefined;
}

/** Selectors, other immutable workload fields, update strategy and replica counts. */
export const workloadRules: RuleGroup = (ctx) => {
  const out: RawFinding[] = [];
  for (const { base, head } of ctx.pairs) {
    if (isKind(base, 'Service', '') && base.spec?.clusterIP !== undefined && !deepEqual(base.spec?.clusterIP, head.spec?.clusterIP)
      && base.spec?.type !== 'ExternalName' && head.spec?.type !== 'ExternalName') {
      out.push({
        id: 'immutable-field-changed', severity: 'blocking', obj: head,
        change: `spec.clusterIP ${show(base.spec?.clusterIP)} → ${show(head.spec?.clusterIP)}`,
        why: 'A Service\'s clusterIP is immutable (a headless Service cannot become a ClusterIP one or back): the API server rejects the update and the apply or sync fails.',
        safely: 'Keep the Service as it is and add a second Service under a new name for the other kind of access.',
        ackOn: onHead(head),
      });
    }
    const isWorkload = WORKLOADS.some(k => isKind(base, k, 'apps')) || isStatefulSet(base) || isKind(base, 'Job', 'batch');
    if (!isWorkload) continue;

    if (!deepEqual(base.spec?.selector, head.spec?.selector)) {
      out.push({
        id: 'selector-changed', severity: 'blocking', obj: head,
        change: `spec.selector ${show(base.spec?.selector)} → ${show(head.spec?.selector)}`,
        why: 'A workload\'s selector is immutable: the API server rejects the update and the apply or sync fails. Deleting and re-creating the workload to get past it restarts the database, and for a Deployment with a claim may start a second pod on the volume.',
        safely: 'Keep the selector (selectors use only the name, instance and component labels, so part-of and managed-by may change). If it must change: delete the workload with `--cascade=orphan`, apply, then delete the orphaned pods one by one.',
        ackOn: onHead(head),
      });
    }

    if (isKind(base, 'Job', 'batch') && !deepEqual(base.spec?.template, head.spec?.template)) {
      const ttl = base.spec?.ttlSecondsAfterFinished;
      out.push({
        // A finished Job with a TTL is deleted by Kubernetes, after which the apply creates the new one.
        id: 'immutable-field-changed', severity: typeof ttl === 'number' ? 'note' : 'blocking', obj: head,
        change: `spec.template changed (${differingPaths(base.spec?.template, head.spec?.template, 4).map(p => `template.${p}`).join(', ')}) under the same Job name`,
        why: 'A Job\'s pod template is immutable: while the old Job exists the API server rejects the update ("field is immutable"), so the apply or sync fails and the new version never runs'
          + (typeof ttl === 'number' ? ` (here the old Job is deleted ${ttl} s after it finished; after that the new one is created and runs).` : '.'),
        safely: 'Give the Job a new name when its content changes (the SchemaMigration runner adds a content hash), or let the GitOps tool replace it (Argo CD `Replace=true`, a hook with a delete policy).',
        ackOn: onHead(head),
      });
    }

    if (isStatefulSet(base)) {
      for (const f of ['serviceName', 'podManagementPolicy']) {
        if (!deepEqual(base.spec?.[f], head.spec?.[f])) {
          out.push({
            id: 'immutable-field-changed', severity: 'blocking', obj: head,
            change: `spec.${f} ${show(base.spec?.[f])} → ${show(head.spec?.[f])}`,
            why: `StatefulSet spec.${f} is immutable: the API server rejects the update and the apply or sync fails.`,
            safely: 'Keep the value, or delete the StatefulSet with `--cascade=orphan` (pods and PVCs stay), apply the new one, and roll the pods one at a time.',
            ackOn: onHead(head),
          });
        }
      }
    }

    if (isMySql(base) && holdsData(base)) {
      const changed = MYSQL_INIT_ONLY.map(n => [n, envValue(base, n), envValue(head, n)] as const).filter(([, b, h]) => b !== h);
      if (changed.length > 0) {
        out.push({
          id: 'init-only-setting-changed', severity: 'note', obj: head,
          change: changed.map(([n, b, h]) => `${n} ${show(b)} → ${show(h)}`).join('; '),
          why: 'The official MySQL image reads these only when it initializes an empty data directory: the running database keeps its existing database, user and password, and clients that expect the new values fail.',
          safely: 'Make the change in the server itself (CREATE DATABASE, CREATE USER, ALTER USER) before or together with this change.',
          ackOn: onHead(head),
        });
      }
    }

    if (isKind(base, 'Deployment', 'apps') && mountsClaim(head)) {
      const bt = base.spec?.strategy?.type ?? 'RollingUpdate';
      const ht = head.spec?.strategy?.type ?? 'RollingUpdate';
      if (bt === 'Recreate' && ht !== 'Recreate') {
        out.push({
          id: isMySql(head) ? 'mysql-rolling-update' : 'rolling-update-on-volume', severity: 'blocking', obj: head,
          change: `spec.strategy.type Recreate → ${ht}`,
          why: 'With RollingUpdate the new pod starts while the old one still runs: two servers on one ReadWriteOnce volume. The new one either hangs on the volume (Multi-Attach error) or, on the same node, fails with "Unable to lock ./ibdata1" or corrupts the data files.',
          safely: 'Keep `strategy: Recreate` for a single-node database (the construct default), or move to a one-replica StatefulSet.',
          ackOn: onHead(head),
        });
      }
    }

    if (isKind(base, 'Deployment', 'apps') && mountsClaim(head)) {
      const br = base.spec?.replicas ?? 1; const hr = head.spec?.replicas ?? 1;
      if (br <= 1 && hr > 1) {
        out.push({
          id: 'second-writer', severity: 'blocking', obj: head,
          change: `replicas ${br} → ${hr} on a Deployment that mounts a PersistentVolumeClaim`,
          why: 'Every replica mounts the same claim: with ReadWriteOnce the extra pods hang (Multi-Attach) or, on the same node, a second database server opens the same data files and corrupts them.',
          safely: 'Keep one replica; for more capacity or availability use a replicated database (PostgresCluster, CassandraDatacenter) instead.',
          ackOn: onHead(head),
        });
      }
    }

    if (isCassandraRack(base)) {
      const changed = CASSANDRA_IDENTITY.map(name => [name, envValue(base, name), envValue(head, name)] as const).filter(([, b, h]) => b !== h);
      if (changed.length > 0) {
        out.push({
          id: 'cassandra-identity-changed', severity: 'blocking', obj: head,
          change: changed.map(([n, b, h]) => `${n} ${show(b)} → ${show(h)}`).join('; '),
          why: 'Existing nodes keep their cluster name, datacenter, rack and tokens in their system tables and refuse to start with different ones ("Saved cluster name ... != configured name", "Cannot start node if snitch\'s data center ... differs from previous data center", "Cannot change the number of tokens"): the rolling restart stops at the first node and the rack goes down.',
          safely: 'Keep them. A new datacenter or rack name means new nodes: add the new datacenter next to the old one, rebuild it (`nodetool rebuild`), move the clients, then decommission the old one.',
          ackOn: onHead(head),
        });
      }
      const br = base.spec?.replicas ?? 1; const hr = head.spec?.replicas ?? 1;
      // An Advanced StatefulSet also removes a pod when its ordinal becomes reserved.
      const headOrdinals = new Set(activeOrdinals(head));
      const removed = activeOrdinals(base).filter(o => !headOrdinals.has(o)).reverse();
      if (hr < br || removed.length > 0) {
        out.push({
          id: 'cassandra-replicas-decreased', severity: 'blocking', obj: head,
          change: hr < br ? `replicas ${br} → ${hr}` : `pods ${removed.join(', ')} removed (reserveOrdinals)`,
          why: 'The StatefulSet removes pods without decommissioning them: their token ranges and the replicas held only there are lost, and the ring shows them down until removed by hand.',
          safely: `Run \`nodetool decommission\` on pods ${removed.join(', ')} (one at a time, wait for them to leave \`nodetool status\`), then apply. Never go below the keyspaces' replication factor.`,
          ackOn: onHead(head),
        });
      }
    } else if (isStatefulSet(base) && holdsData(base)) {
      const br = base.spec?.replicas ?? 1; const hr = head.spec?.replicas ?? 1;
      if (hr < br) {
        out.push({
          id: 'replicas-decreased', severity: 'note', obj: head,
          change: `replicas ${br} → ${hr}`,
          why: 'The highest pods stop; their PVCs stay (with a Retain policy) and come back when scaled up again.',
          safely: 'Make sure the database has moved the data off those pods first (replication, decommission).',
          ackOn: onHead(head),
        });
      }
    }
  }
  return out;
};
