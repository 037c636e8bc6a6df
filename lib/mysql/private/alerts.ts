import { AlertSeverity, RenderedAlertRule } from '../../core/monitoring';
import { MySqlWorkload } from '../options';

/** What the built-in alerts need to know about the database. */
export interface AlertContext {
  readonly name: string;
  readonly namespace: string;
  readonly workload: MySqlWorkload;
  /** Claims whose fill level is watched (data, and backups when on). */
  readonly claims: readonly string[];
  /** Set when scheduled dumps are on. */
  readonly backup?: { readonly cronJob: string; readonly maxAgeSeconds: number };
  /** Binary logs are streamed to the bucket by the sidecars. */
  readonly binlogSidecars?: boolean;
}

/** Regular expression of the database pod's name: `<name>-0`, or a Deployment's `<name>-<hash>-<id>`. */
export function podPattern(name: string, workload: MySqlWorkload): string {
  return workload === MySqlWorkload.STATEFUL_SET ? `${name}-0` : `${name}-[a-z0-9]+-[a-z0-9]+`;
}

const regexEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The built-in alerting rules on mysqld-exporter's metrics, the kubelet's volume statistics and
 * kube-state-metrics' Job and CronJob series. Every expression is PromQL; the tests parse each one.
 */
export function alertRules(ctx: AlertContext): RenderedAlertRule[] {
  const sel = `namespace="${ctx.namespace}", pod=~"${podPattern(ctx.name, ctx.workload)}"`;
  const where = `${ctx.namespace}/${ctx.name}`;
  const claims = ctx.claims.map(regexEscape).join('|');
  const pvc = `namespace="${ctx.namespace}", persistentvolumeclaim=~"${claims}"`;
  const rules: RenderedAlertRule[] = [
    {
      alert: 'MySQLDown',
      expr: `max(mysql_up{${sel}}) < 1 or absent(mysql_up{${sel}})`,
      for: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: `MySQL ${where} is down`,
      description: `The exporter next to ${where} cannot reach the server (mysql_up is 0), or no exporter is scraped at all. Check the pod (kubectl describe pod, kubectl logs -c mysql): crash loop, startup probe still waiting on InnoDB recovery, full volume, or a changed exporter password.`,
    },
    ...([[80, AlertSeverity.WARNING, '10m'], [95, AlertSeverity.CRITICAL, '5m']] as const).map(([pct, severity, pending]) => ({
      alert: severity === AlertSeverity.CRITICAL ? 'MySQLConnectionsExhausted' : 'MySQLConnectionsNearLimit',
      expr: `max(mysql_global_status_threads_connected{${sel}} / mysql_global_variables_max_connections{${sel}}) * 100 > ${pct}`,
      for: pending,
      severity,
      summary: `MySQL ${where} uses over ${pct}% of max_connections`,
      description: `{{ $value | humanize }}% of max_connections are in use on ${where}; new clients get "Too many connections" at 100%. Look for leaking or idle connection pools (SHOW PROCESSLIST), or raise config.maxConnections with the memory it needs.`,
    })),
    {
      alert: 'MySQLSlowQueries',
      expr: `sum(rate(mysql_global_status_slow_queries{${sel}}[5m])) * 60 > 5`,
      for: '15m',
      severity: AlertSeverity.WARNING,
      summary: `MySQL ${where} runs more than 5 slow queries a minute`,
      description: `${where} logs {{ $value | humanize }} queries a minute slower than long_query_time (config.slowQueryThreshold). Read the slow query log and add the missing indexes, or fix the queries.`,
    },
    {
      alert: 'MySQLInnoDBBufferPoolMisses',
      expr: `sum(rate(mysql_global_status_innodb_buffer_pool_reads{${sel}}[5m])) / sum(rate(mysql_global_status_innodb_buffer_pool_read_requests{${sel}}[5m])) > 0.05`
        + ` and sum(rate(mysql_global_status_innodb_buffer_pool_read_requests{${sel}}[5m])) > 100`,
      for: '30m',
      severity: AlertSeverity.WARNING,
      summary: `The InnoDB buffer pool of ${where} misses more than 5% of reads`,
      description: `{{ $value | humanizePercentage }} of InnoDB page reads on ${where} go to disk: the working set does not fit in the buffer pool. Give the container more memory (resources.memory; the pool is half the limit by default) or set config.innodbBufferPoolSize.`,
    },
    {
      alert: 'MySQLInnoDBBufferPoolWaits',
      expr: `sum(rate(mysql_global_status_innodb_buffer_pool_wait_free{${sel}}[5m])) > 0`,
      for: '15m',
      severity: AlertSeverity.WARNING,
      summary: `Queries on ${where} wait for free InnoDB buffer pool pages`,
      description: `InnoDB on ${where} had to wait for a clean page to be freed: the buffer pool is too small for the write load, or flushing cannot keep up. Give it more memory or check the volume's write latency.`,
    },
    ...([[80, AlertSeverity.WARNING], [90, AlertSeverity.CRITICAL]] as const).map(([pct, severity]) => ({
      alert: severity === AlertSeverity.CRITICAL ? 'MySQLVolumeFull' : 'MySQLVolumeFilling',
      expr: `max by (persistentvolumeclaim) (1 - kubelet_volume_stats_available_bytes{${pvc}} / kubelet_volume_stats_capacity_bytes{${pvc}}) * 100 > ${pct}`,
      for: '5m',
      severity,
      summary: `Volume {{ $labels.persistentvolumeclaim }} of ${where} is over ${pct}% full`,
      description: `{{ $labels.persistentvolumeclaim }} is {{ $value | humanize }}% full. MySQL stops writing when its data volume is full; a full backup volume fails every dump. Grow the claim (storage.size; volumes are resized in place where the StorageClass allows), purge binary logs, or keep fewer dumps.`,
    })),
  ];
  if (ctx.backup) {
    const b = ctx.backup;
    rules.push(
      {
        alert: 'MySQLBackupFailed',
        expr: `max(kube_job_status_failed{namespace="${ctx.namespace}", job_name=~"${regexEscape(b.cronJob)}-[0-9]+"}) > 0`,
        for: '5m',
        severity: AlertSeverity.WARNING,
        summary: `A dump (mysqldump) of ${where} failed`,
        description: `A Job of the CronJob ${b.cronJob} failed. Read its pod logs (kubectl logs job/<job> --all-containers); earlier dumps are kept, on the volume and in the bucket.`,
      },
      {
        alert: 'MySQLBackupTooOld',
        expr: `time() - max(kube_cronjob_status_last_successful_time{namespace="${ctx.namespace}", cronjob="${b.cronJob}"}) > ${b.maxAgeSeconds}`,
        for: '10m',
        severity: AlertSeverity.CRITICAL,
        summary: `The last successful dump of ${where} is too old`,
        description: `The CronJob ${b.cronJob} last succeeded {{ $value | humanizeDuration }} ago. Check that it is not suspended, that its Jobs are scheduled and complete, and the alerts on failed dumps.`,
      },
    );
  }
  if (ctx.binlogSidecars) {
    rules.push({
      alert: 'MySQLBinlogArchivingDown',
      expr: `min(kube_pod_container_status_running{${sel}, container=~"binlog-stream|binlog-upload"}) < 1`,
      for: '10m',
      severity: AlertSeverity.CRITICAL,
      summary: `Binary logs of ${where} are not being archived`,
      description: `A binary log sidecar of ${where} is not running: point-in-time recovery covers nothing written since it stopped. Read its logs (kubectl logs <pod> -c binlog-stream, -c binlog-upload): credentials, bucket permissions, or binary logging turned off.`,
    });
  }
  return rules;
}
