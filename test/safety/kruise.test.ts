/**
 * The safety gate judges an OpenKruise Advanced StatefulSet (`apps.kruise.io`) as it judges a
 * StatefulSet: rename, claim template change, scale-down (also by reserving ordinals),
 * retention, immutable fields, removal of a Cassandra rack.
 */
import { compareManifests } from '../../lib/safety';
import { clone, statefulSet } from './objects';

/** The objects' StatefulSet, as an Advanced StatefulSet. */
function advanced(name: string, opts: Parameters<typeof statefulSet>[1] = {}): any {
  const sts = statefulSet(name, opts);
  return { ...sts, apiVersion: 'apps.kruise.io/v1beta1', spec: { ...sts.spec, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 1 } } } };
}

const blocking = (base: any[], head: any[]): string[] => compareManifests(base, head).blocking.map(f => f.id).sort();

describe('Advanced StatefulSet (apps.kruise.io) in the safety gate', () => {
  const base = [advanced('events-a', { replicas: 3 })];
  const change = (fn: (sts: any) => void): any[] => { const head = clone(base); fn(head[0]); return head; };

  test.each<[string, (sts: any) => void, string]>([
    ['claim template grown', sts => { sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '20Gi'; }, 'claim-template-changed'],
    ['claim template shrunk', sts => { sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '5Gi'; }, 'storage-decreased'],
    ['retention on delete weakened', sts => { sts.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' }; }, 'pvc-retention-weakened'],
    ['retention on scale-down weakened', sts => { sts.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Delete' }; }, 'pvc-retention-weakened'],
    ['Cassandra rack scaled down', sts => { sts.spec.replicas = 2; }, 'cassandra-replicas-decreased'],
    ['a running ordinal reserved (the pod is deleted)', sts => { sts.spec.reserveOrdinals = [1]; }, 'cassandra-replicas-decreased'],
    ['serviceName changed', sts => { sts.spec.serviceName = 'other'; }, 'immutable-field-changed'],
  ])('%s is blocking (%s)', (_what, fn, id) => {
    expect(blocking(base, change(fn))).toContain(id);
  });

  test('renamed or removed: the rack is gone', () => {
    expect(blocking(base, [])).toContain('cassandra-rack-removed');
    const renamed = change(sts => { sts.metadata.name = 'events-b'; });
    expect(blocking(base, renamed).length).toBeGreaterThan(0);
  });

  test('safe changes pass: image, in-place policy, reserving an ordinal above the running pods together with one more replica', () => {
    expect(blocking(base, change(sts => { sts.spec.template.spec.containers[0].image = 'cassandra:5.0.6'; }))).toEqual([]);
    expect(blocking(base, change(sts => { sts.spec.updateStrategy.rollingUpdate.maxUnavailable = 2; }))).toEqual([]);
    // Reserving ordinal 3 (not running) while going to 4 replicas: pods 0, 1, 2 and 4.
    expect(blocking(base, change(sts => { sts.spec.reserveOrdinals = [3]; sts.spec.replicas = 4; }))).toEqual([]);
  });

  test('reserving a running ordinal while adding a replica still removes that pod', () => {
    const head = change(sts => { sts.spec.reserveOrdinals = ['1']; sts.spec.replicas = 4; });
    const finding = compareManifests(base, head).blocking.find(f => f.id === 'cassandra-replicas-decreased');
    expect(finding?.change).toBe('pods 1 removed (reserveOrdinals)');
  });
});
