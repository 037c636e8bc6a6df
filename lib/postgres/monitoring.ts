import { Construct } from 'constructs';
import { PodMonitor } from '../../imports/prom-podmonitors-monitoring.coreos.com';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prom-prometheusrules-monitoring.coreos.com';
import { Problems } from '../core/errors';
import { checkInteger } from '../core/quantity';

/** Prometheus Operator monitoring of a PostgresCluster. */
export interface MonitoringProps {
  /** Render the PodMonitor(s) and the PrometheusRule (needs the Prometheus Operator CRDs). @default true */
  readonly enabled?: boolean;
  /** Render the alerting rules. @default true */
  readonly alerts?: boolean;
  /** Replication lag, in seconds, that raises a warning (ten times this is critical). @default 30 */
  readonly replicationLagSeconds?: number;
  /**
   * Age, in hours, of the last successful base backup that raises an alert.
   * @default the longest gap between two scheduled backups plus 2 hours
   */
  readonly backupMaxAgeHours?: number;
  /** Labels added to the PodMonitors and the PrometheusRule, e.g. the ones your Prometheus selects on. @default none */
  readonly labels?: Record<string, string>;
  /** Labels added to every alert, e.g. a team for routing. @default none */
  readonly alertLabels?: Record<string, string>;
}

/** One alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'critical' | 'warning';
  readonly summary: string;
  readonly description: string;
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

/** Validates monitoring props. */
export function checkMonitoring(problems: Problems, field: string, props: MonitoringProps | undefined): void {
  if (props === undefined) return;
  if (props.replicationLagSeconds !== undefined) checkInteger(problems, `${field}.replicationLagSeconds`, props.replicationLagSeconds, 1, 86400);
  if (props.backupMaxAgeHours !== undefined) checkInteger(problems, `${field}.backupMaxAgeHours`, props.backupMaxAgeHours, 1, 24 * 90);
  for (const key of ['labels', 'alertLabels'] as const) {
    const labels = props[key];
    if (labels === undefined) continue;
    problems.check(typeof labels === 'object' && labels !== null && Object.entries(labels).every(([k, v]) =>
      /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k) && typeof v === 'string' && /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(v)),
    `${field}.${key}`, labels, 'is not a map of valid label names to values', 'use Kubernetes label keys and values');
  }
}

/** The regular expression matching the instance pods (and their PVCs) of a cluster: `<name>-<n>`. */
export function instancePattern(cluster: string): string {
  return `${cluster}-[1-9][0-9]*`;
}

/** The alerting rules of a cluster. Every expression is PromQL; the tests parse each one. */
export function alertRules(ctx: AlertContext): AlertRule[] {
  const sel = `namespace="${ctx.namespace}", pod=~"${instancePattern(ctx.cluster)}"`;
  const pvc = `namespace="${ctx.namespace}", persistentvolumeclaim=~"${instancePattern(ctx.cluster)}(-wal)?"`;
  const where = `${ctx.namespace}/${ctx.cluster}`;
  const rules: AlertRule[] = [
    {
      alert: 'CNPGClusterOffline',
      expr: `(sum(cnpg_collector_up{${sel}}) or on() vector(0)) == 0`,
      for: '5m',
      severity: 'critical',
      summary: `PostgreSQL cluster ${where} has no running instance`,
      description: `No instance of the CloudNativePG cluster ${where} reports PostgreSQL up. Applications cannot reach the database. Check the pods, the operator logs and the PVCs.`,
    },
    {
      alert: 'CNPGInstanceDown',
      expr: `cnpg_collector_up{${sel}} == 0`,
      for: '5m',
      severity: 'warning',
      summary: `PostgreSQL instance {{ $labels.pod }} of ${where} is down`,
      description: `The exporter of {{ $labels.pod }} in cluster ${where} answers but PostgreSQL is not running. The operator should restart or replace it; check the instance logs.`,
    },
  ];
  if (ctx.instances > 1) {
    rules.push({
      alert: 'CNPGClusterHACritical',
      expr: `max(cnpg_pg_replication_streaming_replicas{${sel}} - cnpg_pg_replication_is_wal_receiver_up{${sel}}) < 1`,
      for: '5m',
      severity: 'critical',
      summary: `PostgreSQL cluster ${where} has no streaming standby`,
      description: `The primary of ${where} has no ready standby. If it fails now, the cluster is down and recent writes may be lost. Check why the standbys are not streaming (pods, disk, network).`,
    });
  }
  if (ctx.instances > 2) {
    rules.push({
      alert: 'CNPGClusterHADegraded',
      expr: `max(cnpg_pg_replication_streaming_replicas{${sel}} - cnpg_pg_replication_is_wal_receiver_up{${sel}}) < ${ctx.instances - 1}`,
      for: '5m',
      severity: 'warning',
      summary: `PostgreSQL cluster ${where} runs with fewer standbys than declared`,
      description: `${where} declares ${ctx.instances} instances but fewer than ${ctx.instances - 1} standbys are streaming from the primary ({{ $value }} are). One more failure reduces or removes failover capacity.`,
    });
  }
  rules.push(
    {
      alert: 'CNPGReplicationLagHigh',
      expr: `max by (pod) (cnpg_pg_replication_lag{${sel}}) > ${ctx.replicationLagSeconds}`,
      for: '5m',
      severity: 'warning',
      summary: `Standby {{ $labels.pod }} of ${where} lags behind the primary`,
      description: `{{ $labels.pod }} is {{ $value }} seconds behind the primary (threshold ${ctx.replicationLagSeconds} s). A failover now would lose that much recent data. Look for long transactions, heavy writes, slow disk or network.`,
    },
    {
      alert: 'CNPGReplicationLagCritical',
      expr: `max by (pod) (cnpg_pg_replication_lag{${sel}}) > ${ctx.replicationLagSeconds * 10}`,
      for: '5m',
      severity: 'critical',
      summary: `Standby {{ $labels.pod }} of ${where} is far behind the primary`,
      description: `{{ $labels.pod }} is {{ $value }} seconds behind the primary (threshold ${ctx.replicationLagSeconds * 10} s). The standby may not catch up; consider recreating it.`,
    },
    ...[[80, 'warning'], [95, 'critical']].map(([pct, severity]) => ({
      alert: severity === 'warning' ? 'CNPGConnectionsHigh' : 'CNPGConnectionsCritical',
      expr: `sum by (pod) (cnpg_backends_total{${sel}}) / max by (pod) (cnpg_pg_settings_setting{name="max_connections", ${sel}}) * 100 > ${pct}`,
      for: '5m',
      severity: severity as 'warning' | 'critical',
      summary: `PostgreSQL instance {{ $labels.pod }} of ${where} uses over ${pct}% of max_connections`,
      description: `{{ $labels.pod }} uses {{ $value }}% of max_connections. New connections will be refused at 100%. Use the pooler, raise max_connections or find leaking clients.`,
    })),
    ...[[70, 'warning'], [90, 'critical']].map(([pct, severity]) => ({
      alert: severity === 'warning' ? 'CNPGDiskFilling' : 'CNPGDiskAlmostFull',
      expr: `max by (persistentvolumeclaim) (1 - kubelet_volume_stats_available_bytes{${pvc}} / kubelet_volume_stats_capacity_bytes{${pvc}}) * 100 > ${pct}`,
      for: '5m',
      severity: severity as 'warning' | 'critical',
      summary: `Volume {{ $labels.persistentvolumeclaim }} of ${where} is over ${pct}% full`,
      description: `{{ $labels.persistentvolumeclaim }} is {{ $value }}% full. PostgreSQL stops when its data or WAL volume is full. Grow storage.size (volumes are resized in place), or check WAL archiving if the WAL volume fills.`,
    })),
    {
      alert: 'CNPGInstancesOnSameNode',
      expr: `count by (node) (kube_pod_info{${sel}}) > 1`,
      for: '5m',
      severity: 'warning',
      summary: `Several instances of ${where} run on node {{ $labels.node }}`,
      description: `{{ $value }} instances of ${where} share node {{ $labels.node }}; losing that node takes them all. Check the pod anti-affinity and the number of schedulable nodes.`,
    },
  );
  if (ctx.instances > 1) {
    rules.push({
      alert: 'CNPGZoneSpreadLow',
      expr: `count(count by (label_topology_kubernetes_io_zone) (kube_pod_info{${sel}} * on (node) group_left (label_topology_kubernetes_io_zone) kube_node_labels)) < ${Math.min(ctx.instances, 3)}`,
      for: '30m',
      severity: 'warning',
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
        severity: 'critical',
        summary: `The last base backup of ${where} is older than ${hours} hours`,
        description: `The newest base backup of ${where} in the object store is {{ $value | humanizeDuration }} old. Check the ScheduledBackup, the Backup objects and the Barman Cloud plugin logs; recovery time and WAL volume grow with the age of the last backup.`,
      },
      {
        alert: 'CNPGBackupFailing',
        expr: `max(barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp{${sel}}) > max(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${sel}})`,
        for: '5m',
        severity: 'warning',
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
        severity: 'warning',
        summary: `A logical backup (pg_dump) of ${where} failed`,
        description: `A Job of the CronJob ${lb.cronJob} failed. Read its pod logs (kubectl logs job/<job>); older dumps are kept.`,
      },
      {
        alert: 'CNPGLogicalBackupTooOld',
        expr: `time() - max(kube_cronjob_status_last_successful_time{namespace="${ctx.namespace}", cronjob="${lb.cronJob}"}) > ${lb.maxAgeSeconds}`,
        for: '10m',
        severity: 'warning',
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
      severity: 'critical',
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

/** Renders the PrometheusRule with the cluster's alerts. */
export function renderPrometheusRule(scope: Construct, id: string, props: { name: string; namespace: string; labels: Record<string, string>; rules: AlertRule[]; cluster: string; alertLabels?: Record<string, string> }): PrometheusRule {
  return new PrometheusRule(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      groups: [{
        name: `cloudnative-pg.${props.namespace}.${props.cluster}`,
        rules: props.rules.map(rule => ({
          alert: rule.alert,
          expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
          for: rule.for,
          labels: { ...Object.fromEntries(Object.entries(props.alertLabels ?? {})), severity: rule.severity, namespace: props.namespace, cnpg_cluster: props.cluster },
          annotations: { summary: rule.summary, description: rule.description },
        })),
      }],
    },
  });
}
