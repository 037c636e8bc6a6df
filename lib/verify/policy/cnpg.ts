import { CronExpressionParser } from 'cron-parser';
import { parseImage } from '../../core/image';
import { parseQuantity } from '../../core/quantity';
import { list, map, sameNamespace, VerifyContext } from '../context';

const CNPG = 'postgresql.cnpg.io/';
const BARMAN_PLUGIN = 'barman-cloud.cloudnative-pg.io';
/** PostgreSQL majors CloudNativePG 1.30 supports. */
const MAJORS = /^(1[3-9]|[2-9][0-9])(\.|-|$)/;

function isCnpg(obj: any, kind: string): boolean {
  return obj?.kind === kind && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith(CNPG);
}

/** cnpg-ha, cnpg-image, cnpg-backup, cnpg-cron, cnpg-superuser, cnpg-resources. */
export function checkCnpg(ctx: VerifyContext): void {
  const clusters = ctx.objects.filter(o => isCnpg(o, 'Cluster'));
  const scheduled = ctx.objects.filter(o => isCnpg(o, 'ScheduledBackup'));
  const stores = ctx.objects.filter(o => o?.kind === 'ObjectStore' && String(o.apiVersion).startsWith('barmancloud.cnpg.io/'));
  for (const cluster of clusters) {
    const spec = map(cluster.spec);
    checkHa(ctx, cluster, spec);
    checkImage(ctx, cluster, spec);
    checkBackup(ctx, cluster, spec, scheduled, stores);
    if (spec.enableSuperuserAccess === true) {
      ctx.add({ check: 'cnpg-superuser', origin: 'DB', object: cluster, message: 'enableSuperuserAccess is true; applications should use the owner role (acknowledge the finding if superuser access is required)' });
    }
    checkResources(ctx, cluster, spec.resources);
  }
  for (const backup of scheduled) checkSchedule(ctx, backup);
}

function checkHa(ctx: VerifyContext, cluster: any, spec: any): void {
  const instances = typeof spec.instances === 'number' ? spec.instances : 1;
  if (instances < 3) {
    ctx.add({ check: 'cnpg-ha', origin: 'DB', object: cluster, severity: 'warning', message: `instances is ${instances}; with fewer than 3 a failover or node drain leaves no synchronous standby` });
  }
  if (spec.enablePDB === false) {
    ctx.add({ check: 'cnpg-ha', origin: 'DB', object: cluster, severity: instances > 1 ? 'error' : 'warning', message: 'enablePDB is false; node drains may evict every instance' });
  }
  if (spec.affinity?.enablePodAntiAffinity === false) {
    ctx.add({ check: 'cnpg-ha', origin: 'DB', object: cluster, severity: instances > 1 ? 'error' : 'warning', message: 'affinity.enablePodAntiAffinity is false; instances may share a node' });
  }
}

function checkImage(ctx: VerifyContext, cluster: any, spec: any): void {
  if (spec.imageCatalogRef) return;
  if (typeof spec.imageName !== 'string') {
    ctx.add({ check: 'cnpg-image', origin: 'DB', object: cluster, message: 'no imageName or imageCatalogRef: the PostgreSQL version changes with the operator version; pin imageName' });
    return;
  }
  const ref = parseImage(spec.imageName);
  if (!ref.tag || ref.tag === 'latest' || !MAJORS.test(ref.tag)) {
    ctx.add({ check: 'cnpg-image', origin: 'DB', object: cluster, message: `imageName ${spec.imageName} must carry a tag starting with the PostgreSQL major version (e.g. :17.6)` });
  }
}

function checkBackup(ctx: VerifyContext, cluster: any, spec: any, scheduled: any[], stores: any[]): void {
  const name = cluster.metadata?.name;
  const plugin = list(spec.plugins).find((p: any) => p?.name === BARMAN_PLUGIN);
  const storeName = plugin?.parameters?.barmanObjectName;
  const snapshots = spec.backup?.volumeSnapshot !== undefined;
  if (spec.backup?.barmanObjectStore) {
    ctx.add({ check: 'cnpg-backup', origin: 'DB', object: cluster, severity: 'warning', message: 'backup.barmanObjectStore is deprecated (removed in CloudNativePG 1.31); use the Barman Cloud plugin with an ObjectStore' });
  }
  if (plugin) {
    if (!storeName) {
      ctx.add({ check: 'cnpg-backup', origin: 'DB', object: cluster, message: `plugin ${BARMAN_PLUGIN} has no parameters.barmanObjectName` });
    } else if (!stores.some(s => s.metadata?.name === storeName && sameNamespace(s, cluster))) {
      ctx.add({ check: 'cnpg-backup', origin: 'DB', object: cluster, message: `ObjectStore "${storeName}" named by the Barman Cloud plugin is not in the verified set` });
    }
  }
  const mine = scheduled.filter(b => b.spec?.cluster?.name === name && sameNamespace(b, cluster));
  if (!plugin && !snapshots && !spec.backup?.barmanObjectStore) {
    ctx.add({ check: 'cnpg-backup', origin: 'DB', object: cluster, severity: 'warning', message: 'no backup target (Barman Cloud plugin ObjectStore or volume snapshots); the database can only be recovered from its replicas' });
  } else if (mine.length === 0) {
    ctx.add({ check: 'cnpg-backup', origin: 'DB', object: cluster, severity: 'warning', message: 'a backup target is configured but no ScheduledBackup uses it' });
  }
  for (const b of mine) {
    if (plugin && b.spec?.method !== 'plugin' && !snapshots) {
      ctx.add({ check: 'cnpg-backup', origin: 'DB', object: b, message: `ScheduledBackup method is ${b.spec?.method ?? 'barmanObjectStore (default)'}; with the Barman Cloud plugin use method: plugin` });
    }
  }
}

function checkSchedule(ctx: VerifyContext, backup: any): void {
  const schedule = backup.spec?.schedule;
  if (typeof schedule !== 'string') return;
  const fields = schedule.trim().split(/\s+/);
  if (schedule.trim().startsWith('@')) return;
  if (fields.length !== 6) {
    ctx.add({ check: 'cnpg-cron', origin: 'DB', object: backup, message: `schedule "${schedule}" has ${fields.length} fields; CloudNativePG reads six, seconds first (e.g. "0 0 2 * * *")` });
    return;
  }
  try {
    const expr = CronExpressionParser.parse(schedule, { currentDate: new Date('2030-01-01T00:00:00Z'), tz: 'UTC' });
    const a = expr.next().getTime();
    const b = expr.next().getTime();
    if (b - a < 3600_000) {
      ctx.add({ check: 'cnpg-cron', origin: 'DB', object: backup, severity: 'warning', message: `schedule "${schedule}" runs a base backup more often than hourly` });
    }
  } catch (e) {
    ctx.add({ check: 'cnpg-cron', origin: 'DB', object: backup, message: `schedule "${schedule}" is not a valid cron expression: ${(e as Error).message}` });
  }
}

function checkResources(ctx: VerifyContext, cluster: any, resources: any): void {
  const req = map(resources?.requests);
  const lim = map(resources?.limits);
  const missing = [req.cpu === undefined && 'requests.cpu', req.memory === undefined && 'requests.memory', lim.memory === undefined && 'limits.memory'].filter(Boolean);
  if (missing.length > 0) {
    ctx.add({ check: 'cnpg-resources', origin: 'DB', object: cluster, message: `spec.resources lack ${missing.join(', ')}` });
    return;
  }
  const q = (v: unknown) => (typeof v === 'number' ? v : parseQuantity(v));
  if (q(req.memory) !== q(lim.memory)) {
    ctx.add({ check: 'cnpg-resources', origin: 'DB', object: cluster, message: `memory request ${req.memory} differs from limit ${lim.memory}; make them equal` });
  }
}
