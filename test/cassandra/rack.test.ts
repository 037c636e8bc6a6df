import { ApiObject } from 'cdk8s';
import * as fc from 'fast-check';
import { CassandraRack, CassandraRackProps, CassandraVersion } from '../../lib/cassandra';
import { Credentials, ValidationError } from '../../lib/core';
import { findObject, synthValid, testChart } from '../support/synth';

function synth(props: CassandraRackProps = { zone: 'eu-west-1a' }): { manifests: any[]; rack: CassandraRack } {
  const chart = testChart('cache');
  const rack = new CassandraRack(chart, 'sessions', props);
  return { manifests: synthValid(chart), rack };
}

describe('CassandraRack used on its own', () => {
  const { manifests, rack } = synth();

  test('snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('it creates what a datacenter would share, named after itself', () => {
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`).filter(n => !n.startsWith('Job/'))).toEqual([
      'ServiceAccount/sessions', 'Service/sessions-headless', 'Service/sessions', 'PodDisruptionBudget/sessions', 'NetworkPolicy/sessions', 'StatefulSet/sessions']);
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
    const { manifests: m, rack: r } = synth({ zone: 'z1', datacenterName: 'eu', rackName: 'rack1', nodes: 1, version: CassandraVersion.custom('4.1', 'registry.example.com/cassandra:4.1.10-1'), superuser: Credentials.fromSecret('cass-admin', { usernameKey: 'user', passwordKey: 'pass' }) });
    const sts = findObject(m, 'StatefulSet');
    expect(sts.spec.template.spec.containers[0].image).toBe('registry.example.com/cassandra:4.1.10-1');
    expect(r.connection).toMatchObject({ datacenter: 'eu', majorVersion: '4.1', secret: { name: 'cass-admin', usernameKey: 'user', passwordKey: 'pass' } });
    expect(r.seeds).toEqual(['sessions-0.sessions-headless.cache.svc.cluster.local']);
  });

  test('allowFrom opens CQL on the rack\'s own NetworkPolicy', () => {
    const chart = testChart('cache');
    const r = new CassandraRack(chart, 'sessions', { zone: 'z' });
    r.allowFrom({ podLabels: { app: 'web' } });
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
  ])('bad input: %s', (_l, props, fields) => {
    const chart = testChart('cache');
    let err: unknown;
    try { new CassandraRack(chart, 'sessions', props); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields).toEqual(fields);
    expect(chart.node.findAll().filter(c => c instanceof ApiObject)).toEqual([]);
  });

  test('property: generated props throw ValidationError or verify cleanly', () => {
    const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
    const props = fc.record({
      name: sometimes(fc.constantFrom('s', 'sessions-a', 'Bad', 'b'.repeat(50))),
      zone: fc.oneof({ weight: 6, arbitrary: fc.constant('eu-west-1a') }, { weight: 1, arbitrary: fc.constantFrom(undefined, '-x') }),
      nodes: sometimes(fc.integer({ min: 0, max: 5 })),
      partition: sometimes(fc.integer({ min: -1, max: 3 })),
      replicationFactor: sometimes(fc.integer({ min: 0, max: 5 })),
      authentication: sometimes(fc.boolean()),
      zoneAffinity: sometimes(fc.boolean()),
      datacenterName: sometimes(fc.constantFrom('dc2', 'eu_west.1', 'bad name')),
    });
    let valid = 0;
    fc.assert(fc.property(props, p => {
      const chart = testChart('cache');
      try {
        new CassandraRack(chart, 'sessions', p as CassandraRackProps);
      } catch (e) {
        if (e instanceof ValidationError) return;
        throw e;
      }
      synthValid(chart);
      valid++;
    }), { numRuns: 1000 });
    expect(valid).toBeGreaterThan(250);
  });
});
