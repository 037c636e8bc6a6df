import { AckSource, CompareContext, RawFinding, RuleGroup, field } from './rule';
import {
  BARMAN_GROUP, CNPG_GROUP, Manifest, ManifestIndex, displayName, holdsData, isClientService, isKind, isStatefulSet, labelsOf, podLabelsOf, selectorMatches,
} from './identity';

/** Is this a StatefulSet of a Cassandra rack? */
export function isCassandraRack(obj: Manifest): boolean {
  return isStatefulSet(obj) && labelsOf(obj)['app.kubernetes.io/name'] === 'cassandra';
}

/** Head objects whose acknowledgement counts for the removal of a companion of a database. */
function relatedHeadData(ctx: CompareContext, removed: Manifest): Manifest[] {
  const found = new Set<Manifest>(ctx.head.sameInstanceDataObjects(removed));
  const ns = removed.metadata?.namespace;
  if (isKind(removed, 'ScheduledBackup', CNPG_GROUP) || isKind(removed, 'Pooler', CNPG_GROUP)) {
    const cluster = ctx.head.get(`${CNPG_GROUP}/Cluster/${ns ?? ''}/${field(removed, 'spec.cluster.name')}`);
    if (cluster) found.add(cluster);
  }
  if (isKind(removed, 'ObjectStore', BARMAN_GROUP)) {
    for (const c of clustersUsingStore(ctx.head, removed)) found.add(c);
  }
  if (isKind(removed, 'NetworkPolicy', 'networking.k8s.io')) {
    for (const o of ctx.head.selectedDataObjects(ns, removed.spec?.podSelector)) found.add(o);
  }
  return [...found];
}

/** CNPG Clusters in an index whose plugins refer to an ObjectStore by name. */
export function clustersUsingStore(index: ManifestIndex, store: Manifest): Manifest[] {
  return index.objects.filter(o => isKind(o, 'Cluster', CNPG_GROUP)
    && o.metadata?.namespace === store.metadata?.namespace
    && (o.spec?.plugins ?? []).some((p: Manifest) => p.parameters?.barmanObjectName === store.metadata?.name));
}

/** Is this base object a backup job (a CronJob whose component label is `backup` or `<kind>-backup`)? */
function isBackupCronJob(obj: Manifest): boolean {
  return isKind(obj, 'CronJob', 'batch') && /(^|-)backup$/.test(labelsOf(obj)['app.kubernetes.io/component'] ?? '');
}

/** Does a base NetworkPolicy protect a database's pods? */
function protectsDatabase(policy: Manifest, base: ManifestIndex): boolean {
  if (!isKind(policy, 'NetworkPolicy', 'networking.k8s.io')) return false;
  const ns = policy.metadata?.namespace;
  return base.objects.some(o => (o.metadata?.namespace ?? '') === (ns ?? '') && holdsData(o)
    && !isKind(o, 'PersistentVolumeClaim', '') && !isKind(o, 'ObjectStore', BARMAN_GROUP)
    && selectorMatches(policy.spec?.podSelector, podLabelsOf(o) ?? {}));
}

function describeKind(obj: Manifest): string {
  if (isKind(obj, 'StatefulSet')) return 'a StatefulSet with volume claim templates';
  if (isKind(obj, 'PersistentVolumeClaim')) return 'a PersistentVolumeClaim';
  if (isKind(obj, 'Cluster', CNPG_GROUP)) return 'a CloudNativePG Cluster';
  if (isKind(obj, 'Deployment')) return 'a Deployment that mounts a PersistentVolumeClaim';
  if (isKind(obj, 'Service')) return 'a Service that clients use to reach a database';
  return `a ${obj.kind}`;
}

function whyGone(obj: Manifest): string {
  if (isKind(obj, 'StatefulSet')) return 'Deleting the StatefulSet stops its pods; with a Delete retention policy or a pruning GitOps tool the PVCs and their data go too, and a StatefulSet under another name starts empty with new PVCs.';
  if (isKind(obj, 'PersistentVolumeClaim')) return 'Deleting the PVC releases its volume; with the usual Delete reclaim policy the disk and its data are destroyed.';
  if (isKind(obj, 'Cluster', CNPG_GROUP)) return 'Deleting a CloudNativePG Cluster deletes its pods and PVCs (the operator owns them): the database is gone unless it is restored from a backup.';
  if (isKind(obj, 'Deployment')) return 'The Deployment runs the database on its volume; without it the database is down, and a Deployment under another name with a new claim starts empty.';
  if (isKind(obj, 'Service')) return 'Clients connect through this Service name; they fail to connect as soon as it is gone.';
  return 'The object holds or serves data.';
}

/**
 * For a Service, the data-bearing workloads it serves: an acknowledgement on the database counts
 * for its Services too (the constructs annotate the workload and its claim, not every Service).
 */
function served(index: ManifestIndex, obj: Manifest, side: 'head' | 'base'): AckSource[] {
  if (!isKind(obj, 'Service', '')) return [];
  return index.selectedDataObjects(obj.metadata?.namespace, obj.spec?.selector, true).map(o => ({ obj: o, side }));
}

/** Removal, rename and namespace moves of data-bearing objects and their companions. */
export const removalRules: RuleGroup = (ctx) => {
  const out: RawFinding[] = [];
  const baseAck = (obj: Manifest): AckSource[] => [{ obj, side: 'base' }, ...served(ctx.base, obj, 'base')];
  const headAck = (obj: Manifest): AckSource[] => [{ obj, side: 'head' }, ...served(ctx.head, obj, 'head')];

  for (const { base: b, head: h } of ctx.namespaceMoves) {
    out.push({
      id: 'namespace-changed', severity: 'blocking', obj: h,
      change: `moved from namespace ${b.metadata?.namespace ?? '(none)'} to ${h.metadata?.namespace ?? '(none)'} (${describeKind(b)})`,
      why: 'Kubernetes has no move: the object in the old namespace is deleted (by pruning, or left orphaned) and a new, empty one is created in the new namespace. PVCs cannot cross namespaces.',
      safely: 'Keep the namespace. To really move, create the new database next to the old one, copy the data (backup and restore, or replication), switch clients, then remove the old one in a later change.',
      ackOn: [...headAck(h), ...baseAck(b)],
    });
  }
  for (const { base: b, head: h, evidence } of ctx.renames) {
    out.push({
      id: 'data-object-renamed', severity: 'blocking', obj: h,
      change: `${displayName(b)} renamed to ${h.metadata?.name} (${describeKind(b)}; matched by ${evidence})`,
      why: `Kubernetes has no rename: the object under the old name is deleted (or orphaned) and a new, empty one is created. ${whyGone(b)}`,
      safely: 'Keep the old name: set the construct\'s `name` prop to the old name (names come from `name`, not from the construct path). To really rename, restore a backup into the new object and switch clients before removing the old one.',
      ackOn: [...headAck(h), ...baseAck(b)],
    });
  }
  for (const b of ctx.removed) {
    if (isCassandraRack(b) && holdsData(b)) {
      out.push({
        id: 'cassandra-rack-removed', severity: 'blocking', obj: b,
        change: `Cassandra rack StatefulSet removed (${b.spec?.replicas ?? 1} node(s))`,
        why: 'Removing a rack without decommissioning its nodes drops their token ranges: replicas held only there are lost and the ring reports the nodes as down until they are removed by hand.',
        safely: 'First run `nodetool decommission` on each node of the rack (highest ordinal first), one at a time, and check `nodetool status`; only then remove the rack. Make sure the remaining racks can still hold the replication factor.',
        ackOn: [...relatedHeadData(ctx, b).map(o => ({ obj: o, side: 'head' as const })), ...baseAck(b)],
      });
    } else if (isKind(b, 'ObjectStore', BARMAN_GROUP)) {
      const users = clustersUsingStore(ctx.head, b);
      out.push({
        id: 'object-store-removed', severity: 'blocking', obj: b,
        change: `Barman Cloud ObjectStore removed${users.length ? ` while ${users.map(displayName).join(', ')} still refer(s) to it` : ''}`,
        why: 'Without the ObjectStore, WAL archiving and backups stop (a Cluster that still refers to it cannot archive WAL and its disk fills up), and the backups already taken can no longer be used for recovery from the cluster.',
        safely: 'Remove the plugin entry and ScheduledBackups from the Cluster first (or point them to a new ObjectStore and take a fresh base backup), keep the bucket and its retention until the old backups are no longer needed.',
        ackOn: [...relatedHeadData(ctx, b).map(o => ({ obj: o, side: 'head' as const })), ...baseAck(b)],
      });
    } else if (holdsData(b) || isClientService(b, ctx.base)) {
      const successor = ctx.added.find(h => holdsData(h) && h.kind !== b.kind
        && h.metadata?.name === b.metadata?.name && (h.metadata?.namespace ?? '') === (b.metadata?.namespace ?? ''));
      out.push({
        id: 'data-object-removed', severity: 'blocking', obj: b,
        change: `removed (${describeKind(b)})${successor ? `; replaced by ${displayName(successor)}, which starts with new, empty volumes` : ''}`,
        why: whyGone(b),
        safely: 'If the object was renamed by accident, restore its old name (the construct\'s `name` prop). To retire a database: take and verify a final backup, remove its clients, then remove it; acknowledge with `data-object-removed` (see the acknowledgement section of the report).',
        ackOn: baseAck(b),
      });
    } else if (isKind(b, 'ScheduledBackup', CNPG_GROUP) || isBackupCronJob(b)) {
      const related = relatedHeadData(ctx, b);
      if (related.length === 0 && isKind(b, 'ScheduledBackup', CNPG_GROUP)) continue; // its database is gone too: reported there
      out.push({
        id: 'backup-removed', severity: 'blocking', obj: b,
        change: `backup schedule removed (${b.spec?.schedule ?? 'no schedule'})`,
        why: 'No new backups are taken: the recovery point grows older every day, and an outage or a bad migration can no longer be undone from a recent backup.',
        safely: 'Replace the schedule in the same change (a new ScheduledBackup or backup job), or acknowledge `backup-removed` on the database when it is deliberate.',
        ackOn: [...related.map(o => ({ obj: o, side: 'head' as const })), ...baseAck(b)],
      });
    } else if (isKind(b, 'Pooler', CNPG_GROUP)) {
      const related = relatedHeadData(ctx, b);
      if (related.length === 0) continue; // the cluster is gone too
      out.push({
        id: 'pooler-removed', severity: 'blocking', obj: b,
        change: `PgBouncer Pooler removed (clients connecting to the Service ${b.metadata?.name} lose their endpoint)`,
        why: 'Applications configured with the pooler\'s host fail to connect as soon as it is gone; the database itself keeps running.',
        safely: 'Move clients to the cluster\'s `-rw` Service (or a new pooler) first, then remove the pooler in a later change.',
        ackOn: [...related.map(o => ({ obj: o, side: 'head' as const })), ...baseAck(b)],
      });
    } else if (protectsDatabase(b, ctx.base)) {
      const related = relatedHeadData(ctx, b);
      if (related.length === 0) continue; // the database is gone too
      out.push({
        id: 'network-policy-removed', severity: 'blocking', obj: b,
        change: `NetworkPolicy removed; it selected ${related.map(displayName).join(', ')}`,
        why: 'Without its NetworkPolicy the database accepts connections from every pod in the cluster: any compromised workload can reach it.',
        safely: 'Keep the policy (the construct renders it; use `allowFrom(...)` to let clients in). If another policy now covers the database, acknowledge `network-policy-removed` on the database.',
        ackOn: [...related.map(o => ({ obj: o, side: 'head' as const })), ...baseAck(b)],
      });
    }
  }
  for (const h of ctx.added) {
    if (!isKind(h, 'Job', 'batch')) continue;
    if (labelsOf(h)['app.kubernetes.io/component'] !== 'restore' && !/-restore$/.test(String(h.metadata?.name))) continue;
    out.push({
      id: 'restore-job-added', severity: 'blocking', obj: h,
      change: 'a restore Job is added: it runs as soon as it is applied',
      why: 'A restore loads a dump over the live database: everything written since that dump is lost, and clients see the old data while it runs.',
      safely: 'Stop the writers first, take a fresh dump of the current state, check which dump the Job restores, and remove the Job again in the next change (a Job left in the manifests runs again whenever it is re-created).',
      ackOn: [{ obj: h, side: 'head' }, ...ctx.head.sameInstanceDataObjects(h).map(o => ({ obj: o, side: 'head' as const }))],
    });
  }
  return out;
};
