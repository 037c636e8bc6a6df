import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CassandraRack, CassandraRackProps, CassandraVersion } from '../../lib/cassandra';
import { Credentials, NetworkPeer, ValidationError } from '../../lib/core';
import { verifyObjects } from '../../lib/verify';
import { cassandraRackProps } from '../support/arbitraries/cassandra-rack';
import { findObject, synthValid, testChart } from '../support/synth';

/** Fixed, so the runs (and the count of valid prop sets the test asserts on) are the same on every run and machine. */
const PROPERTY_SEED = 5002;

/** Synthesizes and verifies; with the disruption budget off, the missing budget ('pdb') is the one finding allowed. */
function synthChecked(chart: Chart, budgetOff: boolean): any[] {
  if (!budgetOff) return synthValid(chart);
  const manifests = Testing.synth(chart);
  expect(verifyObjects(manifests).errors.filter(e => e.check !== 'pdb')).toEqual([]);
  return manifests;
}

function synth(props: CassandraRackProps = { zone: 'eu-west-1a' }): { manifests: any[]; rack: CassandraRack } {
  const chart = testChart('cache');
  const rack = new CassandraRack(chart, 'sessions', props);
  return { manifests: synthChecked(chart, props.disruptionBudget === false), rack };
}

describe('CassandraRack used on its own', () => {
  const { manifests, rack } = synth();

  test('snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('it creates what a datacenter would share, named after itself', () => {
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`).filter(n => !n.startsWith('Job/'))).toEqual([
      'ServiceAccount/sessions', 'Service/sessions-headless', 'Service/sessions', 'PodDisruptionBudget/sessions', 'NetworkPolicy/sessions', 'ConfigMap/sessions-exporter', 'PodMonitor/sessions', 'PrometheusRule/sessions', 'NetworkPolicy/sessions-superuser', 'StatefulSet/sessions']);
    expect(findObject(manifests, 'Job').metadata.name).toMatch(/^sessions-auth-[0-9a-f]{8}$/);
    expect(ApiObject.of(rack).kind).toBe('StatefulSet');
  });

  test('three nodes, dc1, the rack name, seeds ordinal 0 and 1, no start gate', () => {
    const sts = findObject(manifests, 'StatefulSet', 'sessions');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('sessions-headless');
    expect(sts.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['config']);
    const env = Object.fromEntries(sts.spec.template.spec.containers[0].env.filter((e: any) => e.value).map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ CASSANDRA_DC: 'dc1', CASSANDRA_RACK: 'sessions', CASSANDRA_ENDPOINT_SNITCH: 'GossipingPropertyFileSnitch',
      CASSANDRA_SEEDS: 'sessions-0.sessions-headless.cache.svc.cluster.local,sessions-1.sessions-headless.cache.svc.cluster.local' });
    expect(sts.spec.selector.matchLabels['data.cdk8s.io/cassandra-rack']).toBe('sessions');
    expect(rack.connection.datacenter).toBe('dc1');
  });

  test('datacenter and rack names, custom image, credentials', () => {
    const { manifests: m, rack: r } = synth({ zone: 'z1', datacenterName: 'eu', rackName: 'rack1', nodes: 1, version: CassandraVersion.fromImage('registry.example.com/cassandra:4.1.10-1'), superuser: Credentials.fromSecret('cass-admin', { usernameKey: 'user', passwordKey: 'pass' }) });
    const sts = findObject(m, 'StatefulSet');
    expect(sts.spec.template.spec.containers[0].image).toBe('registry.example.com/cassandra:4.1.10-1');
    expect(r.connection).toMatchObject({ engine: 'cassandra', datacenter: 'eu', majorVersion: '4.1', adminSecret: { name: 'cass-admin', usernameKey: 'user', passwordKey: 'pass' } });
    // Cassandra has no application user: the superuser is the administrative login only.
    expect(r.connection.secret).toBeUndefined();
    expect(r.seeds).toEqual(['sessions-0.sessions-headless.cache.svc.cluster.local']);
  });

  test('allowFrom opens CQL on the rack\'s own NetworkPolicy', () => {
    const chart = testChart('cache');
    const r = new CassandraRack(chart, 'sessions', { zone: 'z' });
    r.allowFrom(NetworkPeer.fromPodLabels({ app: 'web' }));
    const np = findObject(synthValid(chart), 'NetworkPolicy', 'sessions');
    expect(np.spec.ingress[np.spec.ingress.length - 1]).toEqual({ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 9042 }] });
  });

  test.each<[string, CassandraRackProps, string[]]>([
    ['no zone', {}, ['zone']],
    ['zero nodes', { zone: 'z', nodes: 0 }, ['nodes']],
    ['replication factor above the nodes', { zone: 'z', nodes: 2, replicationFactor: 3 }, ['replicationFactor']],
    ['name too long for its Services', { zone: 'z', name: 'a'.repeat(50) }, ['name']],
    ['name too long for a StatefulSet', { zone: 'z', name: 'a'.repeat(53) }, ['name']],
    ['bad datacenter name', { zone: 'z', datacenterName: 'eu west' }, ['datacenterName']],
    ['heap above the limit', { zone: 'z', resources: { memory: '2Gi' }, heap: { maxHeapSize: '2Gi' } }, ['heap.maxHeapSize']],
    ['partition above nodes', { zone: 'z', nodes: 1, partition: 2 }, ['partition']],
    ['name not a DNS-1035 label', { zone: 'z', name: '1sessions' }, ['name']],
    ['bad rack name', { zone: 'z', rackName: 'rack 1' }, ['rackName']],
    ['empty zone', { zone: '' }, ['zone']],
    ['bad storage class', { zone: 'z', storage: { storageClass: 'Fast SSD' } }, ['storage.storageClass']],
    ['storage below 1Gi', { zone: 'z', storage: { size: '512Mi' } }, ['storage.size']],
    ['disruptionBudget not a boolean', { zone: 'z', disruptionBudget: 'no' as any }, ['disruptionBudget']],
    ['zoneAffinity not a boolean', { zone: 'z', zoneAffinity: 1 as any }, ['zoneAffinity']],
    ['fractional startup timeout', { zone: 'z', startupTimeout: Duration.millis(150500) }, ['startupTimeout']],
    ['startup timeout too short', { zone: 'z', startupTimeout: Duration.seconds(60) }, ['startupTimeout']],
    ['wait timeout too long', { zone: 'z', firstStartWaitTimeout: Duration.days(2) }, ['firstStartWaitTimeout']],
    ['grace period over an hour', { zone: 'z', terminationGracePeriod: Duration.hours(2) }, ['terminationGracePeriod']],
    ['peer that is not a NetworkPeer', { zone: 'z', peers: [{ podLabels: { app: 'x' } } as any] }, ['peers[0]']],
    ['peer with a bad namespace', { zone: 'z', peers: [NetworkPeer.fromPodLabels({ app: 'x' }, 'Bad NS')] }, ['peers[0].namespace']],
    ['custom image without a release line in the tag', { zone: 'z', version: CassandraVersion.fromImage('registry.example.com/cassandra:stable-1') }, ['version.majorVersion']],
    ['unsupported release line', { zone: 'z', version: CassandraVersion.fromImage('cassandra:3.11.17') }, ['version.majorVersion']],
    ['bad acknowledgement id', { zone: 'z', acknowledge: ['PVC retention'] }, ['acknowledge[0]']],
  ])('bad input: %s', (_l, props, fields) => {
    const chart = testChart('cache');
    let err: unknown;
    try { new CassandraRack(chart, 'sessions', props); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields).toEqual(fields);
    expect(chart.node.findAll().filter(c => c instanceof ApiObject)).toEqual([]);
  });

  test('allowFrom refuses what is not a NetworkPeer, with the construct path', () => {
    const chart = testChart('cache');
    const r = new CassandraRack(chart, 'sessions', { zone: 'z' });
    expect(() => r.allowFrom({ podLabels: { app: 'web' } } as any)).toThrow(/CassandraRack.allowFrom at 'test\/sessions'[\s\S]*peer: is not a NetworkPeer/);
    expect(() => r.allowFrom(NetworkPeer.fromPodLabels({ 'bad key!': 'x' }))).toThrow(ValidationError);
  });

  test('disruptionBudget: false renders no PodDisruptionBudget and records a warning', () => {
    const { manifests: m, rack: r } = synth({ zone: 'z', disruptionBudget: false });
    expect(m.filter(o => o.kind === 'PodDisruptionBudget')).toEqual([]);
    // The verifier still points it out: the opt-out is visible in review.
    expect(verifyObjects(m).errors.map(e => e.check)).toEqual(['pdb']);
    expect(r.warnings).toEqual([expect.stringContaining('disruptionBudget is off')]);
    expect(r.node.metadata.filter(e => e.type === 'warning').map(e => e.data)).toEqual(r.warnings);
    expect(rack.warnings).toEqual([]);
  });

  test('storage class and durations', () => {
    const { manifests: m } = synth({ zone: 'z', storage: { size: '20Gi', storageClass: 'fast-ssd' }, firstStartWaitTimeout: Duration.minutes(5), terminationGracePeriod: Duration.minutes(4) });
    const sts = findObject(m, 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } } });
    expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(240);
    // A lone rack has no first-start gate, so the wait timeout renders nowhere.
    expect(JSON.stringify(sts)).not.toContain('WAIT_TIMEOUT_SECONDS');
  });

  test('property: generated props throw ValidationError or verify cleanly', () => {
    const props = cassandraRackProps;
    let valid = 0;
    fc.assert(fc.property(props, p => {
      const chart = testChart('cache');
      try {
        new CassandraRack(chart, 'sessions', p as CassandraRackProps);
      } catch (e) {
        if (e instanceof ValidationError) return;
        throw e;
      }
      synthChecked(chart, p.disruptionBudget === false);
      valid++;
    }), { numRuns: 1000, seed: PROPERTY_SEED });
    expect(valid).toBeGreaterThan(250);
  });
});
