import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { acknowledgeAnnotation } from '../../core/annotations';
import { standardLabels, selectorLabels } from '../../core/labels';
import { renderPrometheusRule } from '../../core/monitoring';
import { scheduleGapsSeconds } from '../../core/schedule';
import { helperPolicy, restrictToDns } from '../../core/egress';
import { PodNetworkPolicy, tcp } from '../../core/network';
import { renderInstanceEgress } from './egress';
import { renderObjectStore, renderScheduledBackup } from './backup';
import { METRICS_PORT, POOLER_METRICS_PORT, POSTGRES_PORT, STATUS_PORT } from './constants';
import { LogicalBackup, logicalBackupNames } from './logical-backup';
import { alertRules, customQueriesConfigMap, renderPodMonitor } from './monitoring';
import { renderPooler } from './pooler';
import { renderDatabase } from './roles';
import { renderPublications, renderSubscriptions } from './logical-replication';
import { ClusterSettings } from './settings';
import { pluginBackups } from './spec';

/** Labels CloudNativePG puts on the PostgreSQL instances of cluster `name`. */
const INSTANCE_SELECTOR = (name: string): Record<string, string> => ({ 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' });

function labels(s: ClusterSettings, component: string): Record<string, string> {
  return standardLabels({ name: 'postgresql', instance: s.name, component });
}

/** ObjectStore, ScheduledBackup and Database resources. */
export function renderBackupAndDatabases(scope: Construct, s: ClusterSettings, annotations: Record<string, string>): void {
  const { name, namespace, backup } = s;
  if (backup?.props.objectStore) {
    renderObjectStore(scope, 'ObjectStore', {
      name: backup.storeName, namespace, store: backup.props.objectStore, sidecar: backup.sidecar, labels: labels(s, 'backup'), annotations,
    });
  }
  if (backup) {
    renderScheduledBackup(scope, 'ScheduledBackup', {
      name: backup.scheduledName, namespace, cluster: name, schedule: backup.schedule, method: backup.method, backup: backup.props, labels: labels(s, 'backup'),
    });
  }
  s.databases.forEach((db, i) => renderDatabase(scope, `Database${i}`, {
    cluster: name, namespace, database: db, labels: labels(s, 'database'), annotations: acknowledgeAnnotation(s.props.acknowledge),
  }));
  const context = { cluster: name, namespace, database: s.bootstrap.database, labels: labels(s, 'replication'), annotations: acknowledgeAnnotation(s.props.acknowledge) };
  renderPublications(scope, context, s.publications);
  renderSubscriptions(scope, context, s.subscriptions);
}

/** The NetworkPolicy of the instances: peers, the operator and the scraper. */
export function renderInstancePolicy(scope: Construct, s: ClusterSettings): PodNetworkPolicy {
  const { name, namespace } = s;
  const policy = new PodNetworkPolicy(scope, 'NetworkPolicy', {
    name, namespace, podSelector: INSTANCE_SELECTOR(name), labels: labels(s, 'database'),
  });
  policy.allow([() => ({ podSelector: { matchLabels: { 'cnpg.io/cluster': name } } })], [POSTGRES_PORT, STATUS_PORT]);
  policy.allow([() => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': s.operatorNamespace } },
    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } },
  })], [STATUS_PORT, POSTGRES_PORT]);
  policy.allowPeer(s.monitoring.scraper, [METRICS_PORT]);
  if (s.egress) renderInstanceEgress(scope, { name, namespace, egress: s.egress, objectStorage: s.usesObjectStorage, sources: s.externalClusters });
  return policy;
}

/** The poolers, each with its own NetworkPolicy; returns the pooler names and policies. */
export function renderPoolers(scope: Construct, s: ClusterSettings, instancePolicy: PodNetworkPolicy): { names: string[]; policies: PodNetworkPolicy[] } {
  const result = { names: [] as string[], policies: [] as PodNetworkPolicy[] };
  const { name, namespace } = s;
  for (const pooler of s.poolers) {
    const poolerName = pooler.name;
    result.names.push(poolerName);
    const poolerLabels = standardLabels({ name: 'pgbouncer', instance: poolerName, component: 'pooler', partOf: name });
    renderPooler(scope, pooler.id, { name: poolerName, namespace, labels: poolerLabels, cluster: name, type: pooler.type, pooler: pooler.props, resources: pooler.resources });
    const policy = new PodNetworkPolicy(scope, pooler.id.replace(/^Pooler/, 'PoolerPolicy'), { name: poolerName, namespace, podSelector: { 'cnpg.io/poolerName': poolerName }, labels: poolerLabels });
    policy.allowPeer(s.monitoring.scraper, [POOLER_METRICS_PORT]);
    if (s.egress) {
      restrictToDns(policy, s.egress);
      policy.allowToPods(INSTANCE_SELECTOR(name), [POSTGRES_PORT]);
      policy.allowTo(s.egress.kubernetesApi, tcp(s.egress.kubernetesApiPorts));
    }
    result.policies.push(policy);
    instancePolicy.allow([() => ({ podSelector: { matchLabels: { 'cnpg.io/poolerName': poolerName } } })], [POSTGRES_PORT]);
  }
  return result;
}

/** The pg_dump CronJob, admitted to the instances. */
export function renderLogicalBackup(scope: Construct, s: ClusterSettings, instancePolicy: PodNetworkPolicy, appSecret: string): LogicalBackup | undefined {
  if (!s.logicalBackup) return undefined;
  const podLabels = selectorLabels({ name: 'postgresql', instance: s.name, component: 'logical-backup' });
  const backup = new LogicalBackup(scope, 'LogicalBackup', {
    clusterName: s.name, namespace: s.namespace, host: `${s.name}-rw.${s.namespace}.svc`, database: s.bootstrap.database,
    secretName: appSecret, labels: labels(s, 'logical-backup'), podLabels,
  }, s.logicalBackup);
  instancePolicy.allow([() => ({ podSelector: { matchLabels: { ...podLabels } } })], [POSTGRES_PORT]);
  // The dump CronJob and the restore Jobs share these pod labels, and this policy.
  helperPolicy(scope, 'LogicalBackupNetwork', {
    name: logicalBackupNames(s.name).cronJob, namespace: s.namespace, podSelector: podLabels, labels: labels(s, 'logical-backup'),
    egress: s.egress, databases: [{ podSelector: INSTANCE_SELECTOR(s.name), ports: [POSTGRES_PORT] }],
  });
  return backup;
}

/** PodMonitors, the PrometheusRule and the ConfigMap of custom queries. */
export function renderMonitoring(scope: Construct, s: ClusterSettings, poolers: string[]): void {
  const m = s.monitoring;
  if (m.customQueries !== undefined) {
    const ref = customQueriesConfigMap(s.name);
    // cnpg.io/reload makes the instances pick up changed queries without a restart.
    new k8s.KubeConfigMap(scope, 'CustomQueries', {
      metadata: { name: ref.name, namespace: s.namespace, labels: { ...labels(s, 'monitoring'), 'cnpg.io/reload': '' } },
      data: { [ref.key]: m.customQueries },
    });
  }
  if (!m.enabled) return;
  const { name, namespace } = s;
  const monitorLabels = { ...labels(s, 'monitoring'), ...m.labels };
  renderPodMonitor(scope, 'PodMonitor', { name, namespace, labels: monitorLabels, selector: { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' } });
  poolers.forEach(p => renderPodMonitor(scope, `PoolerPodMonitor-${p}`, { name: p, namespace, labels: monitorLabels, selector: { 'cnpg.io/poolerName': p } }));
  const builtIn = m.alerts ? alertRules({
    cluster: name, namespace, instances: s.instances, poolers, replicationLagSeconds: m.replicationLagSeconds,
    backupMaxAgeSeconds: pluginBackups(s) ? m.backupMaxAgeSeconds ?? scheduleGapsSeconds(s.backup!.expression).longest + 7200 : undefined,
    logicalBackup: s.logicalBackup
      ? { cronJob: logicalBackupNames(name).cronJob, maxAgeSeconds: scheduleGapsSeconds(s.logicalBackup.schedule).longest + 7200 }
      : undefined,
  }) : [];
  const rules = [...builtIn, ...m.extraRules];
  if (rules.length === 0) return;
  renderPrometheusRule(scope, 'PrometheusRule', {
    name, namespace, labels: monitorLabels, group: `cloudnative-pg.${namespace}.${name}`, alertLabels: m.alertLabels,
    identity: { namespace, cnpg_cluster: name },
  }, rules);
}
