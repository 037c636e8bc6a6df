/**
 * A rack as an OpenKruise Advanced StatefulSet: same pods, claims, retention and start order as a
 * StatefulSet; in-place updates of image-only changes, `maxUnavailable` nodes at a time.
 */
import { CassandraDatacenter, CassandraDatacenterProps, CassandraRack, CassandraWorkload } from '../../lib/cassandra';
import { compareManifests } from '../../lib/safety';
import { findObject, synthValid, testChart, validationErrorOf } from '../support/synth';

const ADVANCED = CassandraWorkload.ADVANCED_STATEFUL_SET;
const RACKS = ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` }));

function synth(props: Partial<CassandraDatacenterProps> = {}): any[] {
  const chart = testChart('events');
  new CassandraDatacenter(chart, 'events', { racks: RACKS, nodesPerRack: 2, ...props });
  return synthValid(chart);
}

const rackSets = (m: any[]) => m.filter(o => o.kind === 'StatefulSet');
const plain = synth();
const advanced = synth({ racks: RACKS.map(r => ({ ...r, workload: ADVANCED })) });

test('every rack is an apps.kruise.io/v1beta1 StatefulSet with the same name, labels and annotations', () => {
  expect(rackSets(advanced).map(s => [s.apiVersion, s.metadata.name])).toEqual(rackSets(plain).map(s => ['apps.kruise.io/v1beta1', s.metadata.name]));
  rackSets(advanced).forEach((s, i) => expect(s.metadata).toEqual(rackSets(plain)[i].metadata));
});

test('in place when possible, one node at a time, pods managed in parallel', () => {
  for (const s of rackSets(advanced)) {
    expect(s.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 1, inPlaceUpdateStrategy: { gracePeriodSeconds: 10 } } });
    expect(s.spec.podManagementPolicy).toBe('Parallel');
    expect(s.spec.template.spec.readinessGates).toEqual([{ conditionType: 'InPlaceUpdateReady' }]);
  }
});

test('the same retention, claims, selector, service and pod template (plus the readiness gate) as the StatefulSet', () => {
  rackSets(advanced).forEach((s, i) => {
    const core = rackSets(plain)[i];
    expect(s.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(s.spec.volumeClaimTemplates).toEqual(core.spec.volumeClaimTemplates);
    expect(s.spec.selector).toEqual(core.spec.selector);
    expect(s.spec.serviceName).toBe(core.spec.serviceName);
    expect(s.spec.replicas).toBe(core.spec.replicas);
    const { readinessGates, ...rest } = s.spec.template.spec;
    expect(readinessGates).toBeDefined();
    expect({ ...s.spec.template, spec: rest }).toEqual(core.spec.template);
  });
});

test('first starts stay one node at a time: the gate chains every node of the datacenter', () => {
  const gate = (s: any) => Object.fromEntries(s.spec.template.spec.initContainers.find((c: any) => c.name === 'wait-for-previous').env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
  const [a, b, c] = rackSets(advanced).map(gate);
  expect([a.WAIT_SAME_ORDINAL_OF, a.WAIT_PREVIOUS_ORDINAL_OF]).toEqual(['', 'events-zone-c']);
  expect(b.WAIT_SAME_ORDINAL_OF).toBe('events-zone-a');
  expect(c.WAIT_SAME_ORDINAL_OF).toBe('events-zone-b');
  // A single Advanced rack gates each ordinal on the one before it in the same rack.
  const one = synth({ racks: [{ ...RACKS[0], workload: ADVANCED }], nodesPerRack: 3 });
  expect(gate(rackSets(one)[0]).WAIT_PREVIOUS_ORDINAL_OF).toBe('events-zone-a');
  const chart = testChart('cache');
  new CassandraRack(chart, 'sessions', { zone: 'z', workload: ADVANCED });
  expect(gate(findObject(synthValid(chart), 'StatefulSet', 'sessions')).WAIT_PREVIOUS_ORDINAL_OF).toBe('sessions');
});

test('maxUnavailable and partition per rack; racks may mix workloads', () => {
  const m = synth({ racks: [{ ...RACKS[0], workload: ADVANCED, maxUnavailable: 2, partition: 1 }, RACKS[1], RACKS[2]] });
  const [a, b] = rackSets(m);
  expect(a.spec.updateStrategy.rollingUpdate).toMatchObject({ maxUnavailable: 2, partition: 1 });
  expect(b.apiVersion).toBe('apps/v1');
  expect(b.spec.podManagementPolicy).toBe('OrderedReady');
});

test('the safety gate judges the Advanced rack as a StatefulSet: scale-down without decommission and claim changes block', () => {
  const head = JSON.parse(JSON.stringify(advanced));
  const sts = head.find((o: any) => o.kind === 'StatefulSet');
  sts.spec.replicas = 1;
  sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '200Gi';
  const ids = compareManifests(advanced, head).blocking.map(f => f.id);
  expect(ids).toEqual(expect.arrayContaining(['cassandra-replicas-decreased', 'claim-template-changed']));
});

describe('bad workload input', () => {
  test.each<[string, Partial<CassandraDatacenterProps>, string[]]>([
    ['unknown workload', { racks: [{ ...RACKS[0], workload: 'CloneSet' as any }] }, ['racks[0].workload']],
    ['maxUnavailable on a StatefulSet', { racks: [{ ...RACKS[0], maxUnavailable: 2 }] }, ['racks[0].maxUnavailable']],
    ['maxUnavailable zero', { racks: [{ ...RACKS[0], workload: ADVANCED, maxUnavailable: 0 }] }, ['racks[0].maxUnavailable']],
    ['maxUnavailable above the nodes', { racks: [{ ...RACKS[0], workload: ADVANCED, maxUnavailable: 3 }] }, ['racks[0].maxUnavailable']],
  ])('%s', (_label, props, fields) => {
    expect(validationErrorOf(() => new CassandraDatacenter(testChart('events'), 'events', { racks: RACKS, nodesPerRack: 2, ...props })).fields).toEqual(fields);
  });
});
