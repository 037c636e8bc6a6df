/**
 * Metrics and alerts of the Cassandra constructs: the exporter sidecar, its PodMonitor, the
 * scraper's access, and the PrometheusRule, whose every expression is parsed as PromQL.
 */
import { Duration } from 'cdk8s';
import { CassandraDatacenter, CassandraDatacenterProps, CassandraRack } from '../../lib/cassandra';
import { NetworkPeer } from '../../lib/core';
import { AlertSeverity } from '../../lib/core/monitoring';
import { promqlErrors } from '../support/promql';
import { findObject, synthValid, testChart, validationErrorOf } from '../support/synth';

const RACKS = ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` }));

function synth(props: Partial<CassandraDatacenterProps> = {}): any[] {
  const chart = testChart('events');
  new CassandraDatacenter(chart, 'events', { racks: RACKS, nodesPerRack: 2, ...props });
  return synthValid(chart);
}

const kinds = (manifests: any[]) => manifests.map(m => m.kind);
const pods = (manifests: any[]) => manifests.filter(m => m.kind === 'StatefulSet').map(s => s.spec.template.spec);

describe('Cassandra metrics (defaults)', () => {
  const manifests = synth();

  test('every node carries the pinned exporter, reading JMX on loopback; 7199 is declared nowhere', () => {
    for (const pod of pods(manifests)) {
      const exporter = pod.containers.find((c: any) => c.name === 'exporter');
      expect(exporter.image).toBe('criteord/cassandra_exporter:2.3.8');
      expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }]);
      expect(exporter.securityContext).toMatchObject({ runAsUser: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(exporter.resources.limits.memory).toBe('256Mi');
      expect(exporter.livenessProbe).not.toEqual(exporter.readinessProbe);
      for (const c of [...pod.containers, ...pod.initContainers]) {
        expect((c.ports ?? []).map((p: any) => p.containerPort)).not.toContain(7199);
      }
    }
    const config = findObject(manifests, 'ConfigMap', 'events-exporter').data['config.yml'];
    expect(config).toMatch(/^host: localhost:7199$/m);
    expect(config).toMatch(/^listenPort: 8080$/m);
    for (const svc of manifests.filter(m => m.kind === 'Service')) {
      expect(svc.spec.ports.map((p: any) => p.port)).not.toContain(7199);
    }
  });

  test('the PodMonitor scrapes the metrics port of the datacenter\'s pods', () => {
    const pm = findObject(manifests, 'PodMonitor', 'events');
    expect(pm.spec.selector.matchLabels).toEqual(findObject(manifests, 'PodDisruptionBudget').spec.selector.matchLabels);
    expect(pm.spec.namespaceSelector).toEqual({ matchNames: ['events'] });
    expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
  });

  test('the NetworkPolicy admits the scraper on 8080 only, and nothing on 7199', () => {
    const np = findObject(manifests, 'NetworkPolicy', 'events');
    const scraper = np.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === 8080));
    expect(scraper).toEqual([{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
    expect(JSON.stringify(np)).not.toContain('7199');
  });
});

const variants: Array<[string, Partial<CassandraDatacenterProps>]> = [
  ['defaults', {}],
  ['one rack', { racks: [RACKS[0]], nodesPerRack: 3 }],
  ['custom thresholds and labels', { monitoring: { pendingCompactionsThreshold: 20, alertLabels: { team: 'events' }, labels: { release: 'kps' } } }],
  ['extra alert rules', { monitoring: { extraAlertRules: [{ alert: 'EventsBacklog', expr: 'sum(events_backlog) > 1000', summary: 'The event backlog is long', description: 'More than 1000 events wait; check the consumers.', severity: AlertSeverity.CRITICAL, pendingFor: Duration.minutes(2) }] } }],
];

describe.each(variants)('PrometheusRule (%s)', (_name, props) => {
  const manifests = synth(props);
  const rule = findObject(manifests, 'PrometheusRule', 'events');
  const rules: any[] = rule.spec.groups[0].rules;

  test('every expression parses as PromQL without error nodes', () => {
    expect(rules.length).toBeGreaterThanOrEqual(8);
    for (const r of rules) {
      expect({ alert: r.alert, errors: promqlErrors(r.expr) }).toEqual({ alert: r.alert, errors: [] });
    }
  });

  test('every alert has a summary, a description, a severity and a duration', () => {
    for (const r of rules) {
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      expect(r.annotations.description.length).toBeGreaterThan(30);
      expect(['warning', 'critical']).toContain(r.labels.severity);
      expect(r.for).toMatch(/^\d+m$/);
    }
    expect(new Set(rules.map(r => r.alert)).size).toBe(rules.length);
  });

  test('selectors are scoped to the namespace and the datacenter\'s pods, StatefulSets or claims', () => {
    const sts = findObject(manifests, 'PodMonitor', 'events') && manifests.filter(m => m.kind === 'StatefulSet').map(s => s.metadata.name);
    const group = sts.length === 1 ? sts[0] : `(${sts.join('|')})`;
    for (const r of rules.filter(x => x.alert.startsWith('Cassandra'))) {
      expect(r.expr).toContain('namespace="events"');
      expect(r.expr.includes(`pod=~"${group}-[0-9]+"`) || r.expr.includes(`statefulset=~"${group}"`) || r.expr.includes(`persistentvolumeclaim=~"data-${group}-[0-9]+"`)).toBe(true);
    }
  });
});

test('the built-in alerts cover what an on-call engineer needs', () => {
  const rules: any[] = findObject(synth(), 'PrometheusRule').spec.groups[0].rules;
  expect(rules.map(r => [r.alert, r.labels.severity])).toEqual([
    ['CassandraNodeNotReady', 'critical'],
    ['CassandraMetricsDown', 'warning'],
    ['CassandraNodesDownInGossip', 'warning'],
    ['CassandraDroppedMessages', 'warning'],
    ['CassandraPendingCompactions', 'warning'],
    ['CassandraHeapPressure', 'warning'],
    ['CassandraDiskFilling', 'warning'],
    ['CassandraDiskAlmostFull', 'critical'],
  ]);
  expect(rules.find(r => r.alert === 'CassandraPendingCompactions').expr).toMatch(/> 100$/);
});

test('alertLabels, labels and extra rules are rendered through the shared PrometheusRule renderer', () => {
  const manifests = synth({ monitoring: { alertLabels: { team: 'events' }, labels: { release: 'kps' }, pendingCompactionsThreshold: 20,
    extraAlertRules: [{ alert: 'EventsBacklog', expr: 'sum(events_backlog) > 1000', summary: 'The event backlog is long' }] } });
  const pr = findObject(manifests, 'PrometheusRule', 'events');
  expect(pr.metadata.labels.release).toBe('kps');
  expect(findObject(manifests, 'PodMonitor', 'events').metadata.labels.release).toBe('kps');
  const rules: any[] = pr.spec.groups[0].rules;
  for (const r of rules) expect(r.labels.team).toBe('events');
  expect(rules[rules.length - 1]).toMatchObject({ alert: 'EventsBacklog', for: '5m', labels: { severity: 'warning', team: 'events' } });
  expect(rules.find(r => r.alert === 'CassandraPendingCompactions').expr).toMatch(/> 20$/);
});

test('monitoring off: no exporter, no ConfigMap, PodMonitor or PrometheusRule, no scraper rule', () => {
  const manifests = synth({ monitoring: { enabled: false } });
  expect(kinds(manifests)).not.toEqual(expect.arrayContaining(['PodMonitor']));
  expect(kinds(manifests)).not.toContain('PrometheusRule');
  expect(kinds(manifests)).not.toContain('ConfigMap');
  for (const pod of pods(manifests)) expect(pod.containers.map((c: any) => c.name)).toEqual(['cassandra']);
  expect(JSON.stringify(findObject(manifests, 'NetworkPolicy', 'events'))).not.toContain('8080');
});

test('alerts off keeps the exporter and PodMonitor; podMonitor off keeps the alerts; a custom scraper and interval', () => {
  const noAlerts = synth({ monitoring: { alerts: false } });
  expect(kinds(noAlerts)).toContain('PodMonitor');
  expect(kinds(noAlerts)).not.toContain('PrometheusRule');
  const noMonitor = synth({ monitoring: { podMonitor: false, interval: Duration.seconds(15), scraper: NetworkPeer.fromPodLabels({ app: 'vmagent' }, 'observability') } });
  expect(kinds(noMonitor)).not.toContain('PodMonitor');
  expect(kinds(noMonitor)).toContain('PrometheusRule');
  const np = findObject(noMonitor, 'NetworkPolicy', 'events');
  expect(np.spec.ingress.find((r: any) => r.ports[0].port === 8080).from).toEqual([
    { podSelector: { matchLabels: { app: 'vmagent' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
  const interval = synth({ monitoring: { interval: Duration.seconds(15) } });
  expect(findObject(interval, 'PodMonitor').spec.podMetricsEndpoints[0].interval).toBe('15s');
});

test('a rack used on its own is monitored the same way', () => {
  const chart = testChart('cache');
  new CassandraRack(chart, 'sessions', { zone: 'z' });
  const manifests = synthValid(chart);
  expect(findObject(manifests, 'PodMonitor', 'sessions').spec.selector.matchLabels['app.kubernetes.io/instance']).toBe('sessions');
  const rules: any[] = findObject(manifests, 'PrometheusRule', 'sessions').spec.groups[0].rules;
  expect(rules[0].expr).toContain('statefulset=~"sessions"');
  for (const r of rules) expect(promqlErrors(r.expr)).toEqual([]);
});

describe('bad monitoring input', () => {
  test.each<[string, Partial<CassandraDatacenterProps>, string[]]>([
    ['latest exporter image', { monitoring: { exporterImage: 'criteord/cassandra_exporter:latest' } }, ['monitoring.exporterImage']],
    ['untagged exporter image', { monitoring: { exporterImage: 'criteord/cassandra_exporter' } }, ['monitoring.exporterImage']],
    ['interval too short', { monitoring: { interval: Duration.seconds(1) } }, ['monitoring.interval']],
    ['zero compaction threshold', { monitoring: { pendingCompactionsThreshold: 0 } }, ['monitoring.pendingCompactionsThreshold']],
    ['podMonitor not a boolean', { monitoring: { podMonitor: 'yes' as any } }, ['monitoring.podMonitor']],
    ['bad alert label', { monitoring: { alertLabels: { 'bad key!': 'x' } } }, ['monitoring.alertLabels']],
    ['bad extra rule', { monitoring: { extraAlertRules: [{ alert: 'bad name', expr: '', summary: '' }] } }, ['monitoring.extraAlertRules[0].alert', 'monitoring.extraAlertRules[0].expr', 'monitoring.extraAlertRules[0].summary']],
    ['scraper not a peer', { monitoring: { scraper: { app: 'x' } as any } }, ['monitoring.scraper']],
  ])('%s', (_label, props, fields) => {
    const chart = testChart('events');
    const message = validationErrorOf(() => new CassandraDatacenter(chart, 'events', { racks: RACKS, ...props })).message;
    for (const field of fields) expect(message).toContain(field);
  });
});
