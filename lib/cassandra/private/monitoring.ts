import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodMonitor } from '../../../imports/prom-podmonitors-monitoring.coreos.com';
import { checkDuration } from '../../core/duration';
import { Problems } from '../../core/errors';
import { checkImage } from '../../core/image';
import { AlertSeverity, RenderedAlertRule, checkMonitoringProps, renderPrometheusRule, resolveAlertRules } from '../../core/monitoring';
import { NetworkPeer, defaultScraper } from '../../core/network';
import { checkInteger } from '../../core/quantity';
import { Credentials } from '../../core/credentials';
import { helperResources } from '../../core/resources';
import { hardenedContainerSecurityContext, RunAsIds } from '../../core/security';
import { CassandraMonitoringProps } from '../monitoring';
import { EXPORTER_START_SCRIPT } from './scripts';

/** The pinned exporter image (criteo/cassandra_exporter). */
export const CASSANDRA_EXPORTER_IMAGE = 'criteord/cassandra_exporter:2.3.8';
/** The port the exporter serves metrics on; JMX (7199) itself stays on loopback. */
export const EXPORTER_PORT = 8080;
/** The exporter image's own user (USER 1000 in its Dockerfile). */
const EXPORTER_IDS: RunAsIds = { uid: 1000, gid: 1000 };

/** Validated monitoring settings, every default applied. */
export interface ResolvedMonitoring {
  readonly enabled: boolean;
  readonly alerts: boolean;
  readonly podMonitor: boolean;
  readonly exporterImage: string;
  readonly intervalSeconds: number;
  readonly pendingCompactions: number;
  readonly scraper: NetworkPeer;
  readonly labels?: { [key: string]: string };
  readonly alertLabels?: { [key: string]: string };
  readonly extraRules: RenderedAlertRule[];
}

/** Validates `monitoring`; on by default. */
export function resolveMonitoring(problems: Problems, field: string, props: CassandraMonitoringProps = {}): ResolvedMonitoring {
  checkMonitoringProps(problems, field, props);
  const exporterImage = props.exporterImage ?? CASSANDRA_EXPORTER_IMAGE;
  checkImage(problems, `${field}.exporterImage`, exporterImage, CASSANDRA_EXPORTER_IMAGE);
  problems.check(props.podMonitor === undefined || typeof props.podMonitor === 'boolean', `${field}.podMonitor`, props.podMonitor,
    'must be true or false', 'leave it out to render the PodMonitor');
  const pendingCompactions = props.pendingCompactionsThreshold ?? 100;
  checkInteger(problems, `${field}.pendingCompactionsThreshold`, pendingCompactions, 1, 1_000_000);
  return {
    enabled: props.enabled ?? true,
    alerts: props.alerts ?? true,
    podMonitor: props.podMonitor ?? true,
    exporterImage,
    intervalSeconds: checkDuration(problems, `${field}.interval`, props.interval, { fallback: Duration.seconds(30), min: Duration.seconds(5), max: Duration.minutes(10) }),
    pendingCompactions,
    scraper: props.scraper ?? defaultScraper(),
    labels: props.labels,
    alertLabels: props.alertLabels,
    // Only converted when valid: a bad Duration would throw.
    extraRules: problems.empty ? resolveAlertRules(props.extraAlertRules) : [],
  };
}

/**
 * The exporter's configuration: the node's JMX on loopback, and the MBeans it skips (per-table
 * metrics of system keyspaces, percentiles and rates no alert or dashboard uses). Costly
 * attributes (sizes computed by walking SSTables) are read at most once an hour.
 */
export function exporterConfig(): string {
  return [
    'host: localhost:7199',
    'ssl: False',
    'user:',
    'password:',
    'listenAddress: 0.0.0.0',
    `listenPort: ${EXPORTER_PORT}`,
    'blacklist:',
    '  - java:lang:memorypool:.*usagethreshold.*',
    '  - .*:999thpercentile',
    '  - .*:95thpercentile',
    '  - .*:fifteenminuterate',
    '  - .*:fiveminuterate',
    '  - .*:durationunit',
    '  - .*:rateunit',
    '  - .*:stddev',
    '  - .*:meanrate',
    '  - .*:mean',
    '  - .*:min',
    '  - .*:viewlockacquiretime:.*',
    '  - .*:viewreadtime:.*',
    '  - .*:colupdatetimedeltahistogram:.*',
    '  - org:apache:cassandra:db:.*',
    '  - org:apache:cassandra:metrics:columnfamily:.*',
    '  - org:apache:cassandra:metrics:[^:]+:system[^:]*:.*',
    '  - com:criteo:nosql:cassandra:exporter:.*',
    'maxScrapeFrequencyInSec:',
    '  50:',
    '    - .*',
    '  3600:',
    '    - .*:snapshotssize:.*',
    '    - .*:estimated.*',
    '    - .*:totaldiskspaceused:.*',
    '',
  ].join('\n');
}

const EXPORTER_JAVA = ['java', '-Xms64m', '-Xmx128m', '-XX:-UsePerfData', '-jar', '/opt/cassandra_exporter/cassandra_exporter.jar'];

/**
 * The exporter sidecar: reads the node's JMX on loopback, serves `metrics` on 8080. With a JMX
 * login (repairs on), EXPORTER_START_SCRIPT adds the account to a private copy of the configuration.
 */
export function exporterContainer(m: ResolvedMonitoring, configVolume: string, jmx?: Credentials): k8s.Container {
  return {
    name: 'exporter',
    image: m.exporterImage,
    imagePullPolicy: 'IfNotPresent',
    // The JVM directly, not the image's run.sh: that edits the (read-only) configuration in place.
    command: jmx ? ['bash', '-c', EXPORTER_START_SCRIPT, 'exporter', ...EXPORTER_JAVA] : [...EXPORTER_JAVA, '/etc/cassandra_exporter/config.yml'],
    ...(jmx ? {
      env: [
        { name: 'EXPORTER_CONFIG', value: '/etc/cassandra_exporter/config.yml' },
        { name: 'EXPORTER_RUNTIME_CONFIG', value: '/tmp/config.yml' },
        { name: 'JMX_USERNAME', valueFrom: { secretKeyRef: { name: jmx.secretName, key: jmx.usernameKey } } },
        { name: 'JMX_PASSWORD', valueFrom: { secretKeyRef: { name: jmx.secretName, key: jmx.passwordKey } } },
      ],
    } : {}),
    ports: [{ name: 'metrics', containerPort: EXPORTER_PORT, protocol: 'TCP' }],
    resources: helperResources('50m', '256Mi'),
    securityContext: hardenedContainerSecurityContext(EXPORTER_IDS),
    livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('metrics') }, initialDelaySeconds: 30, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 5 },
    readinessProbe: { httpGet: { path: '/metrics', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30, timeoutSeconds: 20, failureThreshold: 3 },
    volumeMounts: [
      { name: configVolume, mountPath: '/etc/cassandra_exporter', readOnly: true },
      { name: 'exporter-tmp', mountPath: '/tmp' },
    ],
  };
}

/** What the alerts select: the datacenter's namespace, StatefulSets and claims. */
export interface AlertScope {
  readonly name: string;
  readonly namespace: string;
  readonly statefulSets: string[];
  readonly nodes: number;
  /** The repair CronJob and the age after which a missing successful run is an alert. */
  readonly repair?: { cronJob: string; maxAgeSeconds: number };
  /** The Medusa backup CronJob and the age after which a missing successful run is an alert. */
  readonly backup?: { cronJob: string; maxAgeSeconds: number };
}

function anyOf(names: string[]): string {
  return names.length === 1 ? names[0] : `(${names.join('|')})`;
}

/**
 * The built-in alerts. Exporter metrics are `cassandra_stats{name="<mbean path>:<attribute>"}`,
 * lower case and colon-separated, as criteo's exporter flattens them; pods, claims and Jobs come
 * from kube-state-metrics and the kubelet's volume statistics.
 */
export function alertRules(m: ResolvedMonitoring, a: AlertScope): RenderedAlertRule[] {
  const ns = `namespace="${a.namespace}"`;
  const sts = anyOf(a.statefulSets);
  const pods = `${ns}, pod=~"${sts}-[0-9]+"`;
  const stat = (name: string) => `cassandra_stats{${pods}, name="${name}"}`;
  const claims = `${ns}, persistentvolumeclaim=~"data-${sts}-[0-9]+"`;
  const free = `kubelet_volume_stats_available_bytes{${claims}} / kubelet_volume_stats_capacity_bytes{${claims}}`;
  const rule = (alert: string, expr: string, forMinutes: number, severity: AlertSeverity, summary: string, description: string): RenderedAlertRule =>
    ({ alert, expr, for: `${forMinutes}m`, severity, summary, description });
  const rules: RenderedAlertRule[] = [
    rule('CassandraNodeNotReady',
      `kube_statefulset_replicas{${ns}, statefulset=~"${sts}"} - kube_statefulset_status_replicas_ready{${ns}, statefulset=~"${sts}"} > 0`, 10, AlertSeverity.CRITICAL,
      `A Cassandra node of ${a.name} is down or not ready`,
      'A rack has fewer ready nodes than it should for 10 minutes. With one node down, QUORUM at RF 3 still works; a second one loses it. Check the pod (kubectl describe, logs of the cassandra container) and `nodetool status` on a live node.'),
    rule('CassandraMetricsDown', `up{${pods}} == 0`, 10, AlertSeverity.WARNING,
      `Prometheus cannot scrape a Cassandra node of ${a.name}`,
      'The exporter does not answer or cannot read the node\'s JMX: the node may be hung or out of heap, or the exporter crashed. Check the exporter container\'s logs and `nodetool info` in the cassandra container.'),
    rule('CassandraNodesDownInGossip',
      `max by (namespace, pod) (${stat('org:apache:cassandra:net:failuredetector:downendpointcount')}) > 0`, 10, AlertSeverity.WARNING,
      `A Cassandra node of ${a.name} sees other nodes down`,
      'Gossip on this node marks other endpoints down (including other datacenters\' nodes). Run `nodetool status` and `nodetool describecluster`: a node down for longer than max_hint_window (3h) needs a repair once it is back.'),
    rule('CassandraDroppedMessages',
      `sum by (namespace, pod) (cassandra_stats{${pods}, name=~"org:apache:cassandra:metrics:droppedmessage:[^:]+:dropped:oneminuterate"}) > 0`, 10, AlertSeverity.WARNING,
      `A Cassandra node of ${a.name} drops messages`,
      'The node drops reads, writes or other messages it could not process in time: it is overloaded (CPU, disk, GC pauses) or a peer is slow. Dropped mutations leave replicas inconsistent until repaired. Check `nodetool tpstats` and GC logs.'),
    rule('CassandraPendingCompactions',
      `max by (namespace, pod) (${stat('org:apache:cassandra:metrics:compaction:pendingtasks:value')}) > ${m.pendingCompactions}`, 30, AlertSeverity.WARNING,
      `Compactions pile up on a Cassandra node of ${a.name}`,
      `More than ${m.pendingCompactions} compactions wait for 30 minutes: reads slow down and disk use grows. Check \`nodetool compactionstats\`, the disk's throughput and compaction_throughput.`),
    rule('CassandraHeapPressure',
      `max by (namespace, pod) (${stat('java:lang:memory:heapmemoryusage:used')}) / max by (namespace, pod) (${stat('java:lang:memory:heapmemoryusage:max')}) > 0.85`, 15, AlertSeverity.WARNING,
      `A Cassandra node of ${a.name} is short of heap`,
      'Heap use stays above 85% for 15 minutes: long GC pauses follow, then dropped messages or an OutOfMemoryError. Look for large partitions and tombstones (`nodetool tablehistograms`), or give the node more memory (the heap is derived from resources.memory).'),
    rule('CassandraDiskFilling', `${free} < 0.3`, 15, AlertSeverity.WARNING,
      `A Cassandra data volume of ${a.name} has less than 30% free`,
      'Compaction needs free space (up to the size of the largest SSTables being compacted, half the disk with size-tiered compaction). Expand the volume (storage.size, if the storage class allows expansion), add nodes, or remove data and snapshots (`nodetool clearsnapshot`).'),
    rule('CassandraDiskAlmostFull', `${free} < 0.15 or predict_linear(kubelet_volume_stats_available_bytes{${claims}}[6h], 24 * 3600) < 0`, 15, AlertSeverity.CRITICAL,
      `A Cassandra data volume of ${a.name} is almost full`,
      'Less than 15% free, or full within a day at the current rate: compactions will fail and the node will stop writing. Act now: expand the volume or add nodes.'),
  ];
  if (a.repair) {
    const cj = `${ns}, cronjob="${a.repair.cronJob}"`;
    rules.push(
      rule('CassandraRepairFailed', `max by (namespace, job_name) (kube_job_status_failed{${ns}, job_name=~"${a.repair.cronJob}-[0-9]+"}) > 0`, 0, AlertSeverity.WARNING,
        `A scheduled repair of ${a.name} failed`,
        'The repair Job failed or skipped a node that was down. Read its log (kubectl logs job/<name>); once every node is up, run it again: kubectl create job --from=cronjob/' + a.repair.cronJob + ' <name>.'),
      rule('CassandraRepairOverdue', `time() - kube_cronjob_status_last_successful_time{${cj}} > ${a.repair.maxAgeSeconds}`, 30, AlertSeverity.CRITICAL,
        `No complete repair of ${a.name} for too long`,
        `No repair has completed for ${Math.round(a.repair.maxAgeSeconds / 3600)} hours. Every node must be repaired within gc_grace_seconds (10 days by default), or deleted data may come back. Find out why the repairs fail (CassandraRepairFailed) and run one by hand.`),
    );
  }
  if (a.backup) {
    rules.push(
      rule('CassandraBackupFailed', `max by (namespace, job_name) (kube_job_status_failed{${ns}, job_name=~"${a.backup.cronJob}-[0-9]+"}) > 0`, 0, AlertSeverity.WARNING,
        `A scheduled Medusa backup of ${a.name} failed`,
        'A node did not start, finish or report its backup, so nothing was purged. Read the Job\'s log (kubectl logs job/<name>) and the medusa container\'s log on the nodes it names; then run it again: kubectl create job --from=cronjob/' + a.backup.cronJob + ' <name>.'),
      rule('CassandraBackupTooOld', `time() - kube_cronjob_status_last_successful_time{${ns}, cronjob="${a.backup.cronJob}"} > ${a.backup.maxAgeSeconds}`, 30, AlertSeverity.CRITICAL,
        `The last complete backup of ${a.name} is too old`,
        `No cluster-wide Medusa backup has completed for ${Math.round(a.backup.maxAgeSeconds / 3600)} hours: a restore would lose everything written since. Find out why the backups fail (CassandraBackupFailed) and run one by hand.`),
    );
  }
  return rules;
}

/** The exporter's ConfigMap, the PodMonitor (unless turned off) and the PrometheusRule. */
export function renderMonitoringObjects(scope: Construct, m: ResolvedMonitoring, target: { name: string; namespace: string; labels: Record<string, string>; podSelector: Record<string, string>; configMap: string }, a: AlertScope): void {
  new k8s.KubeConfigMap(scope, 'ExporterConfig', {
    metadata: { name: target.configMap, namespace: target.namespace, labels: target.labels },
    data: { 'config.yml': exporterConfig() },
  });
  const metadata = { name: target.name, namespace: target.namespace, labels: { ...m.labels, ...target.labels } };
  if (m.podMonitor) {
    new PodMonitor(scope, 'PodMonitor', {
      metadata,
      spec: {
        selector: { matchLabels: { ...target.podSelector } },
        namespaceSelector: { matchNames: [target.namespace] },
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: `${m.intervalSeconds}s` }],
      },
    });
  }
  const rules = [...(m.alerts ? alertRules(m, a) : []), ...m.extraRules];
  if (rules.length === 0) return;
  renderPrometheusRule(scope, 'PrometheusRule', {
    ...metadata, group: `cassandra.${target.namespace}.${target.name}`, alertLabels: m.alertLabels,
  }, rules);
}
