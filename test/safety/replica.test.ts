import { Chart, Testing } from 'cdk8s';
import { ExternalCluster, PostgresCluster, PostgresVersion, ReplicaProps } from '../../lib';
import { compareManifests } from '../../lib/safety';
import { clone, cnpgCluster } from './objects';

const withReplica = (replica: any, name = 'orders-dr') => ({ ...cnpgCluster(name), spec: { ...cnpgCluster(name).spec, ...(replica ? { replica } : {}) } });
const ids = (base: any, head: any) => compareManifests([base], [head]).findings.map(f => `${f.severity}:${f.id}`).sort();

describe('replica cluster transitions', () => {
  test.each<[string, any, any, string[]]>([
    ['promotion without token', { source: 'orders', enabled: true }, { source: 'orders', enabled: false }, ['blocking:cnpg-replica-promoted-without-token']],
    ['replica section removed', { source: 'orders', enabled: true }, undefined, ['blocking:cnpg-replica-promoted-without-token']],
    ['promotion with token', { source: 'orders' }, { source: 'orders', enabled: false, promotionToken: 'abc=' }, ['note:cnpg-replica-promoted']],
    ['topology: primary moves here without token', { source: 'orders', primary: 'orders', self: 'orders-dr' }, { source: 'orders', primary: 'orders-dr', self: 'orders-dr' }, ['blocking:cnpg-replica-promoted-without-token']],
    ['topology: primary moves here with token', { source: 'orders', primary: 'orders', self: 'orders-dr' }, { source: 'orders', primary: 'orders-dr', self: 'orders-dr', promotionToken: 't' }, ['note:cnpg-replica-promoted']],
    ['demotion', undefined, { source: 'orders', enabled: true }, ['note:cnpg-primary-demoted']],
    ['topology: primary moves away', { source: 'orders', primary: 'orders-dr', self: 'orders-dr' }, { source: 'orders', primary: 'orders', self: 'orders-dr' }, ['note:cnpg-primary-demoted']],
    ['replica stays a replica', { source: 'orders', enabled: true }, { source: 'orders', enabled: true, minApplyDelay: '3600s' }, []],
    ['primary stays primary', undefined, undefined, []],
  ])('%s', (_name, base, head, expected) => {
    expect(ids(withReplica(base), withReplica(head))).toEqual(expected);
  });

  test('the promotion finding can be acknowledged on the Cluster (disaster recovery)', () => {
    const head = withReplica({ source: 'orders', enabled: false });
    head.metadata.annotations = { 'data.cdk8s.io/acknowledge': 'cnpg-replica-promoted-without-token' };
    const report = compareManifests([withReplica({ source: 'orders' })], [head]);
    expect(report.ok).toBe(true);
    expect(report.acknowledged.map(f => f.id)).toEqual(['cnpg-replica-promoted-without-token']);
  });

  test('granting superuser to a managed role is blocking; an existing superuser is not re-reported', () => {
    const base = cnpgCluster('orders'); base.spec.managed = { roles: [{ name: 'etl', superuser: false }] };
    const head = clone(base); head.spec.managed.roles[0].superuser = true;
    expect(ids(base, head)).toEqual(['blocking:role-superuser-granted']);
    expect(ids(head, clone(head))).toEqual([]);
  });
});

describe('replica transitions on synthesized clusters', () => {
  function render(replica: Partial<ReplicaProps>): any[] {
    const chart = new Chart(Testing.app(), 'dr', { namespace: 'shop' });
    const source = ExternalCluster.fromObjectStore({ objectStore: 'orders-backup', serverName: 'orders', external: true, majorVersion: '17' });
    new PostgresCluster(chart, 'orders-dr', { storage: { size: '20Gi' }, version: PostgresVersion.V17, replica: { source, ...replica } });
    return Testing.synth(chart);
  }

  test('enabled: false without a token blocks; with the token it is a note', () => {
    const base = render({});
    expect(compareManifests(base, render({ enabled: false })).blocking.map(f => f.id)).toEqual(['cnpg-replica-promoted-without-token']);
    const promoted = compareManifests(base, render({ enabled: false, promotionToken: 'eyJsc24iOiIwLzMwMDAwMDAifQ==' }));
    expect(promoted.blocking).toEqual([]);
    expect(promoted.notes.map(f => f.id)).toContain('cnpg-replica-promoted');
  });
});
