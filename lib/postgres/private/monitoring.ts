import { parse as parseYaml } from 'yaml';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PodMonitor } from '../../../imports/prom-podmonitors-monitoring.coreos.com';
import { checkDuration } from '../../core/duration';
import { Problems } from '../../core/errors';
import { AlertSeverity, RenderedAlertRule, checkMonitoringProps, resolveAlertRules } from '../../core/monitoring';
import { NetworkPeer, defaultScraper } from '../../core/network';
import { PostgresMonitoringProps } from '../monitoring';

/** Validated monitoring settings, every default applied. */
export interface ResolvedMonitoring {
  readonly enabled: boolean;
  readonly alerts: boolean;
  readonly scraper: NetworkPeer;
  readonly labels?: { [key: string]: string };
  readonly alertLabels?: { [key: string]: string };
  readonly replicationLagSeconds: number;
  /** Set when given; otherwise derived from the backup schedule. */
  readonly backupMaxAgeSeconds?: number;
  readonly extraRules: RenderedAlertRule[];
  /** Custom queries YAML, validated. */
  readonly customQueries?: string;
}

/** Name of the ConfigMap of custom queries and its key. */
export function customQueriesConfigMap(cluster: string): { name: string; key: string } {
  return { name: `${cluster}-monitoring-queries`, key: 'queries.yaml' };
}

const USAGES = ['LABEL', 'COUNTER', 'GAUGE', 'HISTOGRAM', 'MAPPEDMETRIC', 'DURATION', 'DISCARD'];

/** Checks the shape CloudNativePG's exporter reads: a map of queries, each with SQL and typed columns. */
function checkCustomQueries(problems: Problems, field: string, text: unknown): boolean {
  if (!problems.check(typeof text === 'string', field, text, 'is not YAML text', 'give the queries as a YAML string')) return false;
  let doc: unknown;
  try {
    doc = parseYaml(text as string);
  } catch (e) {
    return problems.check(false, field, (e as Error).message.split('\n')[0], 'is not valid YAML', 'fix the YAML syntax');
  }
  if (!problems.check(typeof doc === 'object' && doc !== null && !Array.isArray(doc) && Object.keys(doc).length > 0, field, doc,
    'is not a map of queries', 'give e.g. "pg_orders:\\n  query: SELECT count(*) AS total FROM orders\\n  metrics:\\n    - total: { usage: GAUGE, description: Orders }"')) return false;
  let ok = true;
  for (const [name, q] of Object.entries(doc as Record<string, any>)) {
    const path = `${field}.${name}`;
    ok = problems.check(/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name), path, name, 'is not a metric name prefix', 'use letters, digits and "_"') && ok;
    ok = problems.check(typeof q?.query === 'string' && q.query.trim() !== '', `${path}.query`, q?.query, 'is missing', 'give the SQL of the query') && ok;
    const metrics = q?.metrics;
    if (!problems.check(Array.isArray(metrics) && metrics.length > 0, `${path}.metrics`, metrics, 'is not a list of columns', 'give e.g. [{ total: { usage: GAUGE, description: "..." } }]')) {
      ok = false;
      continue;
    }
    (metrics as any[]).forEach((m, i) => {
      const entries = typeof m === 'object' && m !== null ? Object.entries(m) : [];
      const usage = entries.length === 1 ? (entries[0][1] as any)?.usage : undefined;
      ok = problems.check(USAGES.includes(usage), `${path}.metrics[${i}]`, m, 'is not one column with a usage', `give { <column>: { usage: ${USAGES.join('|')}, description } }`) && ok;
    });
  }
  return ok;
}

/** Validates the monitoring props. */
export function checkMonitoring(problems: Problems, field: string, props: PostgresMonitoringProps = {}): ResolvedMonitoring {
  checkMonitoringProps(problems, field, props);
  const replicationLagSeconds = checkDuration(problems, `${field}.replicationLag`, props.replicationLag, { fallback: Duration.seconds(30), min: Duration.seconds(1), max: Duration.days(1) });
  const backupMaxAgeSeconds = props.backupMaxAge === undefined ? undefined
    : checkDuration(problems, `${field}.backupMaxAge`, props.backupMaxAge, { fallback: Duration.hours(26), min: Duration.hours(1), max: Duration.days(90) });
  return {
    enabled: props.enabled ?? true,
    alerts: props.alerts ?? true,
    scraper: props.scraper ?? defaultScraper(),
    labels: props.labels,
    alertLabels: props.alertLabels,
    replicationLagSeconds,
    backupMaxAgeSeconds,
    customQueries: props.customQueries !== undefined && checkCustomQueries(problems, `${field}.customQueries`, props.customQueries) ? props.customQueries : undefined,
    // Only converted when valid: a bad Duration would throw.
    extraRules: problems.empty ? resolveAlertRules(props.extraAlertRules) : [],
  };
}


/** What the alerts need to know about the cluster. */
export interface AlertContext {
  readonly cluster: string;
  readonly namespace: string;
  readonly instances: number;
  readonly replicationLagSeconds: number;
  /** Set when base backups go to an object store through the Barman Cloud plugin. */
  readonly backupMaxAgeSeconds?: number;
  /** Set when a logical backup CronJob exists. */
  readonly logicalBackup?: { cronJob: string; maxAgeSeconds: number };
  /** Poolers (Deployments) of the cluster. */
  readonly poolers: readonly string[];
}

/** The regular expression matching the instance pods (and their PVCs) of a cluster: `<name>-<n>`. */
export function instancePattern(cluster: string): string {
  return `${cluster}-[1-9][0-9]*`;
}

/** The alerting rules of a cluster. Every expression is PromQL; the tests parse each one. */
export function alertRules(ctx: AlertContext): RenderedAlertRule[] {
  const sel = `namespace="${ctx.namespace}", pod=~"${instancePattern(ctx.cluster)}"`;
  const pvc = `namespace="${ctx.namespace}", persistentvolumeclaim=~"${instancePattern(ctx.cluster)}(-wal)?"`;
  const where = `${ctx.namespace}/${ctx.cluster}`;
  const rules: RenderedAlertRule[] = [
    {
      alert: 'CNPGClusterOffline',
      expr: `(sum(cnpg_collector_up{${sel}}) or on() vector(0)) == 0`,
      for: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL cluster ${where} has no running instance`,
      description: `No instance of the CloudNativePG cluster ${where} reports PostgreSQL up. Applications cannot reach the database. Check the pods, the operator logs and the PVCs.`,
    },
    {
      alert: 'CNPGInstanceDown',
      expr: `cnpg_collector_up{${sel}} == 0`,
      for: '5m',
      severity: AlertSeverity.WARNING,
      summary: `PostgreSQL instance {{ $labels.pod }} of ${where} is down`,
      description: `The exporter of {{ $labels.pod }} in cluster ${where} answers but PostgreSQL is not running. The operator should restart or replace it; check the instance logs.`,
    },
  ];
  if (ctx.instances > 1) {
    rules.push({
      alert: 'CNPGClusterHACritical',
      expr: `max(cnpg_pg_replication_streaming_replicas{${sel}} - cnpg_pg_replication_is_wal_receiver_up{${sel}}) < 1`,
      for: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL cluster ${where} has no streaming standby`,
      description: `The primary of ${where} has no ready standby. If it fails now, the cluster is down and recent writes may be lost. Check why the standbys are not streaming (pods, disk, network).`,
    });
  }
  if (ctx.instances > 2) {
    rules.push({
      alert: 'CNPGClusterHADegraded',
      expr: `max(cnpg_pg_replication_streaming_replicas{${sel}} - cnpg_pg_replication_is_wal_receiver_up{${sel}}) < ${ctx.instances - 1}`,
      for: '5m',
      severity: AlertSeverity.WARNING,
      summary: `PostgreSQL cluster ${where} runs with fewer standbys than declared`,
      description: `${where} declares ${ctx.instances} instances but fewer than ${ctx.instances - 1} standbys are streaming from the primary ({{ $value }} are). One more failure reduces or removes failover capacity.`,
    });
  }
  rules.push(
    {
      alert: 'CNPGReplicationLagHigh',
      expr: `max by (pod) (cnpg_pg_replication_lag{${sel}}) > ${ctx.replicationLagSeconds}`,
      for: '5m',
      severity: AlertSeverity.WARNING,
      summary: `Standby {{ $labels.pod }} of ${where} lags behind the primary`,
      description: `{{ $labels.pod }} is {{ $value }} seconds behind the primary (threshold ${ctx.replicationLagSeconds} s). A failover now would lose that much recent data. Look for long transactions, heavy writes, slow disk or network.`,
    },
    {
      alert: 'CNPGReplicationLagCritical',
      expr: `max by (pod) (cnpg_pg_replication_lag{${sel}}) > ${ctx.replicationLagSeconds * 10}`,
      for: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: `Standby {{ $labels.pod }} of ${where} is far behind the primary`,
      description: `{{ $labels.pod }} is {{ $value }} seconds behind the primary (threshold ${ctx.replicationLagSeconds * 10} s). The standby may not catch up; consider recreating it.`,
    },
    ...([[80, AlertSeverity.WARNING], [95, AlertSeverity.CRITICAL]] as const).map(([pct, severity]) => ({
      alert: severity === AlertSeverity.WARNING ? 'CNPGConnectionsHigh' : 'CNPGConnectionsCritical',
      expr: `sum by (pod) (cnpg_backends_total{${sel}}) / max by (pod) (cnpg_pg_settings_setting{name="max_connections", ${sel}}) * 100 > ${pct}`,
      for: '5m',
      severity,
      summary: `PostgreSQL instance {{ $labels.pod }} of ${where} uses over ${pct}% of max_connections`,
      description: `{{ $labels.pod }} uses {{ $value }}% of max_connections. New connections will be refused at 100%. Use the pooler, raise max_connections or find leaking clients.`,
    })),
    ...([[70, AlertSeverity.WARNING], [90, AlertSeverity.CRITICAL]] as const).map(([pct, severity]) => ({
      alert: severity === AlertSeverity.WARNING ? 'CNPGDiskFilling' : 'CNPGDiskAlmostFull',
      expr: `max by (persistentvolumeclaim) (1 - kubelet_volume_stats_available_bytes{${pvc}} / kubelet_volume_stats_capacity_bytes{${pvc}}) * 100 > ${pct}`,
      for: '5m',
      severity,
      summary: `Volume {{ $labels.persistentvolumeclaim }} of ${where} is over ${pct}% full`,
      description: `{{ $labels.persistentvolumeclaim }} is {{ $value }}% full. PostgreSQL stops when its data or WAL volume is full. Grow storage.size (volumes are resized in place), or check WAL archiving if the WAL volume fills.`,
    })),
    {
      alert: 'CNPGInstancesOnSameNode',
      expr: `count by (node) (kube_pod_info{${sel}}) > 1`,
      for: '5m',
      severity: AlertSeverity.WARNING,
      summary: `Several instances of ${where} run on node {{ $labels.node }}`,
      description: `{{ $value }} instances of ${where} share node {{ $labels.node }}; losing that node takes them all. Check the pod anti-affinity and the number of schedulable nodes.`,
    },
  );
  if (ctx.instances > 1) {
    rules.push({
      alert: 'CNPGZoneSpreadLow',
      expr: `count(count by (label_topology_kubernetes_io_zone) (kube_pod_info{${sel}} * on (node) group_left (label_topology_kubernetes_io_zone) kube_node_labels)) < ${Math.min(ctx.instances, 3)}`,
      for: '30m',
      severity: AlertSeverity.WARNING,
      summary: `Instances of ${where} are concentrated in too few zones`,
      description: `The instances of ${where} run in {{ $value }} availability zone(s); losing one zone may take the cluster down. Check the zone spread constraint and the nodes in each zone.`,
    });
  }
  if (ctx.backupMaxAgeSeconds !== undefined) {
    const hours = Math.round(ctx.backupMaxAgeSeconds / 3600);
    rules.push(
      {
        alert: 'CNPGLastBackupTooOld',
        expr: `time() - max(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${sel}}) > ${ctx.backupMaxAgeSeconds}`,
        for: '10m',
        severity: AlertSeverity.CRITICAL,
        summary: `The last base backup of ${where} is older than ${hours} hours`,
        description: `The newest base backup of ${where} in the object store is {{ $value | humanizeDuration }} old. Check the ScheduledBackup, the Backup objects and the Barman Cloud plugin logs; recovery time and WAL volume grow with the age of the last backup.`,
      },
      {
        alert: 'CNPGBackupFailing',
        expr: `max(barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp{${sel}}) > max(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${sel}})`,
        for: '5m',
        severity: AlertSeverity.WARNING,
        summary: `The latest base backup of ${where} failed`,
        description: `The most recent backup attempt of ${where} failed after the last successful one. Check the failed Backup object (kubectl get backups) and the plugin sidecar logs: credentials, bucket permissions, network.`,
      },
    );
  }
  if (ctx.logicalBackup) {
    const lb = ctx.logicalBackup;
    rules.push(
      {
        alert: 'CNPGLogicalBackupFailed',
        expr: `max(kube_job_status_failed{namespace="${ctx.namespace}", job_name=~"${lb.cronJob}-[0-9]+"}) > 0`,
        for: '5m',
        severity: AlertSeverity.WARNING,
        summary: `A logical backup (pg_dump) of ${where} failed`,
        description: `A Job of the CronJob ${lb.cronJob} failed. Read its pod logs (kubectl logs job/<job>); older dumps are kept.`,
      },
      {
        alert: 'CNPGLogicalBackupTooOld',
        expr: `time() - max(kube_cronjob_status_last_successful_time{namespace="${ctx.namespace}", cronjob="${lb.cronJob}"}) > ${lb.maxAgeSeconds}`,
        for: '10m',
        severity: AlertSeverity.WARNING,
        summary: `The last logical backup of ${where} is too old`,
        description: `The CronJob ${lb.cronJob} last succeeded {{ $value | humanizeDuration }} ago. Check that it is not suspended and that its Jobs complete.`,
      },
    );
  }
  for (const pooler of ctx.poolers) {
    rules.push({
      alert: 'CNPGPoolerUnavailable',
      expr: `max(kube_deployment_status_replicas_available{namespace="${ctx.namespace}", deployment="${pooler}"}) < 1`,
      for: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: `Pooler ${ctx.namespace}/${pooler} has no available pod`,
      description: `The PgBouncer pooler ${pooler} of ${where} has no available pod; clients using it cannot connect. Check its pods and the operator logs.`,
    });
  }
  return rules;
}

/** Renders a PodMonitor scraping the port named `metrics` of the pods matching `selector`. */
export function renderPodMonitor(scope: Construct, id: string, props: { name: string; namespace: string; labels: Record<string, string>; selector: Record<string, string> }): PodMonitor {
  return new PodMonitor(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      selector: { matchLabels: props.selector },
      namespaceSelector: { matchNames: [props.namespace] },
      podMetricsEndpoints: [{ port: 'metrics' }],
    },
  });
}

/** Renders a Duration the way Prometheus writes one: whole minutes as `5m`, else seconds. */

