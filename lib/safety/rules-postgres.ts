import { AckSource, CompareContext, RawFinding, RuleGroup, onHead, show } from './rule';
import { replicaRules } from './rules-replica';
import { upgradeRules } from './rules-upgrade';
import { BARMAN_GROUP, CNPG_GROUP, Manifest, deepEqual, differingPaths, isKind } from './identity';

/** The Barman Cloud plugin's name in a CNPG Cluster's `plugins` list. */
export const BARMAN_PLUGIN = 'barman-cloud.cloudnative-pg.io';

function backupPlugins(cluster: Manifest): Manifest[] {
  return (cluster.spec?.plugins ?? []).filter((p: Manifest) => p.name === BARMAN_PLUGIN || p.isWALArchiver === true);
}

const DROP_WHY = 'The operator runs DROP DATABASE in PostgreSQL: every table and row in that database is gone, with no undo but a restore.';
const DROP_SAFELY = 'Take and check a dump of the database first; keep `databaseReclaimPolicy: retain` (the default) so that removing the resource leaves the database in place.';

/** CloudNativePG `Database` resources: dropped databases and weakened reclaim policies. */
function databases(ctx: CompareContext, out: RawFinding[]): void {
  const clusterOf = (db: Manifest): AckSource[] => {
    const c = ctx.head.get(`${CNPG_GROUP}/Cluster/${db.metadata?.namespace ?? ''}/${db.spec?.cluster?.name}`);
    return c ? [{ obj: c, side: 'head' }] : [];
  };
  for (const { base, head } of ctx.pairs) {
    if (!isKind(base, 'Database', CNPG_GROUP)) continue;
    if ((base.spec?.ensure ?? 'present') === 'present' && head.spec?.ensure === 'absent') {
      out.push({ id: 'database-dropped', severity: 'blocking', obj: head, change: `database ${base.spec?.name}: ensure present → absent`, why: DROP_WHY, safely: DROP_SAFELY, ackOn: [...onHead(head), ...clusterOf(head)] });
    }
    if ((base.spec?.databaseReclaimPolicy ?? 'retain') === 'retain' && head.spec?.databaseReclaimPolicy === 'delete') {
      out.push({
        id: 'database-reclaim-weakened', severity: 'blocking', obj: head, change: `database ${base.spec?.name}: databaseReclaimPolicy retain → delete`,
        why: 'Removing this Database resource later (a refactor, a renamed construct, a pruning GitOps tool) would now drop the database in PostgreSQL.',
        safely: 'Keep `retain`; drop a database deliberately with `ensure: absent` in its own reviewed change.',
        ackOn: [...onHead(head), ...clusterOf(head)],
      });
    }
  }
  for (const b of ctx.removed) {
    if (!isKind(b, 'Database', CNPG_GROUP) || b.spec?.databaseReclaimPolicy !== 'delete' || b.spec?.ensure === 'absent') continue;
    const cluster = clusterOf(b);
    if (cluster.length === 0) continue; // the cluster is gone too: reported there
    out.push({ id: 'database-dropped', severity: 'blocking', obj: b, change: `Database resource removed with databaseReclaimPolicy: delete (database ${b.spec?.name})`, why: DROP_WHY, safely: DROP_SAFELY, ackOn: [...cluster, { obj: b, side: 'base' }] });
  }
}

/** CloudNativePG Cluster rules: instances, superuser access, backups. */
export const postgresRules: RuleGroup = (ctx) => {
  const out: RawFinding[] = [];
  for (const head of ctx.head.objects) {
    if (!isKind(head, 'Cluster', CNPG_GROUP)) continue;
    const n = head.spec?.instances;
    if (n !== undefined && !(Number.isInteger(n) && n >= 1)) {
      out.push({
        id: 'cnpg-instances-invalid', severity: 'blocking', obj: head,
        change: `instances ${show(n)}`,
        why: 'CloudNativePG requires at least one instance: the API server refuses the Cluster, so the apply fails half-way. Setting 0 does not stop a cluster.',
        safely: 'To stop a cluster and keep its volumes, annotate it with `cnpg.io/hibernation: "on"`; to remove it, delete the construct (see data-object-removed).',
        ackOn: [],
      });
    }
  }
  for (const { base, head } of ctx.pairs) {
    if (!isKind(base, 'Cluster', CNPG_GROUP)) continue;
    const bi = base.spec?.instances ?? 1; const hi = head.spec?.instances ?? 1;
    const valid = Number.isInteger(hi) && hi >= 1; // otherwise reported above
    if (valid && bi > 1 && hi === 1) {
      out.push({
        id: 'cnpg-instances-to-one', severity: 'blocking', obj: head,
        change: `instances ${bi} → 1`,
        why: 'A single instance has no standby: a node failure, an eviction or a rolling update takes the database down, and the operator deletes the replicas\' PVCs, so the copies they held are gone.',
        safely: 'Keep at least 2 instances (3 by default) in production. For a development cluster, acknowledge `cnpg-instances-to-one`.',
        ackOn: onHead(head),
      });
    } else if (valid && hi < bi) {
      out.push({
        id: 'instances-decreased', severity: 'note', obj: head,
        change: `instances ${bi} → ${hi}`,
        why: 'The operator removes replicas and their PVCs; the cluster keeps fewer copies of the data.',
        safely: 'Check that the remaining instances meet your availability needs.',
        ackOn: onHead(head),
      });
    }

    if (!deepEqual(base.spec?.bootstrap, head.spec?.bootstrap)) {
      out.push({
        id: 'init-only-setting-changed', severity: 'note', obj: head,
        change: `spec.bootstrap changed (${differingPaths(base.spec?.bootstrap, head.spec?.bootstrap).map(p => `bootstrap.${p}`).join(', ')})`,
        why: 'CloudNativePG uses bootstrap only when it creates the cluster: the running cluster keeps its database, owner and data; a cluster re-created later would bootstrap from the new settings.',
        safely: 'Make the change in the database itself (a managed role, a Database resource, SQL) if it is meant for the running cluster.',
        ackOn: onHead(head),
      });
    }

    if (base.spec?.enableSuperuserAccess !== true && head.spec?.enableSuperuserAccess === true) {
      out.push({
        id: 'superuser-enabled', severity: 'blocking', obj: head,
        change: `enableSuperuserAccess ${show(base.spec?.enableSuperuserAccess ?? false)} → true`,
        why: 'The operator creates a `<cluster>-superuser` Secret and allows the `postgres` user to log in over the network: anyone who can read that Secret or reach the port with it can drop every database.',
        safely: 'Use managed roles with the privileges the task needs; turn superuser access on only for a bounded maintenance window and acknowledge `superuser-enabled` then.',
        ackOn: onHead(head),
      });
    }

    const bp = backupPlugins(base); const hp = backupPlugins(head);
    const lost = bp.filter(p => !hp.some(q => q.name === p.name && (q.parameters?.barmanObjectName ?? '') === (p.parameters?.barmanObjectName ?? '')));
    if (lost.length > 0) {
      out.push({
        id: 'backup-removed', severity: 'blocking', obj: head,
        change: `backup plugin removed from spec.plugins: ${lost.map(p => `${p.name}${p.parameters?.barmanObjectName ? ` (${p.parameters.barmanObjectName})` : ''}`).join(', ')}`,
        why: 'WAL is no longer archived and plugin backups stop: point-in-time recovery ends at this change, and ScheduledBackups with `method: plugin` fail.',
        safely: 'Keep the plugin entry; to change the destination, point it to a new ObjectStore and take a fresh base backup before removing the old one.',
        ackOn: onHead(head),
      });
    }
    if (base.spec?.backup?.barmanObjectStore && !head.spec?.backup?.barmanObjectStore && hp.length === 0) {
      out.push({
        id: 'backup-removed', severity: 'blocking', obj: head,
        change: 'spec.backup.barmanObjectStore removed and no backup plugin configured',
        why: 'WAL archiving and backups stop: point-in-time recovery ends at this change.',
        safely: 'Move to the Barman Cloud plugin (ObjectStore + plugins entry) in the same change.',
        ackOn: onHead(head),
      });
    }
  }
  databases(ctx, out);
  replicaRules(ctx, out);
  upgradeRules(ctx, out);
  for (const { base, head } of ctx.pairs) {
    if (!isKind(base, 'ObjectStore', BARMAN_GROUP)) continue;
    const b = base.spec?.configuration?.destinationPath; const h = head.spec?.configuration?.destinationPath;
    if (b !== undefined && h !== undefined && b !== h) {
      out.push({
        id: 'backup-destination-changed', severity: 'note', obj: head,
        change: `destinationPath ${b} → ${h}`,
        why: 'New WAL and base backups go to the new location; until a first base backup completes there, there is no point-in-time recovery from it, and the old backups stay only in the old location.',
        safely: 'Take a base backup right after the change (the ScheduledBackup\'s `immediate` does) and keep the old location until its retention has passed.',
        ackOn: onHead(head),
      });
    }
  }
  return out;
};
