import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { ValidationError } from '../../lib/core/errors';
import {
  Bootstrap, ExternalCluster, ImagePullPolicy, ImportType, ObjectStoreProvider, PostgresCluster, PostgresClusterProps, PostgresVersion,
} from '../../lib/postgres';
import { synthValid } from '../support/synth';

/** Fixed, so the runs (and the count of valid prop sets the test asserts on) are the same on every run and machine. */
const PROPERTY_SEED = 5433;

function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: good, weight: 20 }, { arbitrary: bad, weight: 1 });
}

const PASSWORD = { secretName: 'replicator', key: 'password' };
const S3 = { provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-backups/orders', s3: { accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'key' } } };

/** A source, described as data so fast-check can show it; built against the old cluster of each run. */
const source = fc.oneof(
  fc.record({ kind: fc.constant('cluster'), user: mostly(fc.constantFrom(undefined, 'replicator', 'app'), fc.constant('Bad')), password: fc.boolean() }),
  fc.record({ kind: fc.constant('backup') }),
  fc.record({ kind: fc.constant('server'), name: mostly(fc.constantFrom('legacy', 'pg-eu'), fc.constant('Legacy')), host: mostly(fc.constantFrom('db.example.com', 'pg-rw.other.svc'), fc.constant('not a host')),
    password: mostly(fc.constant(true), fc.constant(false)), majorVersion: mostly(fc.constantFrom(undefined, '17', '16'), fc.constant('x')) }),
  fc.record({ kind: fc.constant('store'), objectStore: fc.constantFrom('orders-backup', 'elsewhere'), external: fc.boolean(), majorVersion: fc.constantFrom(undefined, '16', '17') }),
);
type SourceSpec = any;

function build(spec: SourceSpec, old: PostgresCluster): ExternalCluster {
  switch (spec.kind) {
    case 'cluster': return ExternalCluster.fromCluster(old, { user: spec.user, password: spec.password ? PASSWORD : undefined });
    case 'backup': return ExternalCluster.fromClusterBackup(old);
    case 'server': return ExternalCluster.fromServer({ name: spec.name, host: spec.host, user: 'replicator', password: spec.password ? PASSWORD : undefined, majorVersion: spec.majorVersion });
    default: return ExternalCluster.fromObjectStore({ objectStore: spec.objectStore, serverName: 'orders', external: spec.external, majorVersion: spec.majorVersion });
  }
}

const scenario = fc.record({
  version: fc.oneof({ arbitrary: fc.constant(PostgresVersion.V17), weight: 4 }, { arbitrary: fc.constantFrom(PostgresVersion.V16, PostgresVersion.V18), weight: 1 }),
  method: fc.constantFrom('none', 'clone', 'recovery', 'import', 'replica', 'subscription'),
  source,
  importType: fc.constantFrom(ImportType.MICROSERVICE, ImportType.MONOLITH),
  databases: mostly<string[]>(fc.constantFrom(['app'], ['*']), fc.constantFrom([], ['Bad'], ['a', 'b'])),
  replica: fc.record({ enabled: fc.option(fc.boolean(), { nil: undefined }), promotionToken: fc.option(mostly(fc.constant('abc='), fc.constant('bad token')), { nil: undefined, freq: 3 }),
    minApplyDelay: fc.option(mostly(fc.constantFrom(Duration.minutes(5), Duration.hours(1)), fc.constant(Duration.millis(10))), { nil: undefined }) }),
  publications: fc.option(fc.uniqueArray(fc.record({ name: mostly(fc.constantFrom('p1', 'p2', 'p3'), fc.constant('P 1')), tables: fc.option(mostly<string[]>(fc.constant(['public.t']), fc.constant(['a.b.c'])), { nil: undefined }) }),
    { maxLength: 2, selector: p => p.name }), { nil: undefined }),
  timeouts: fc.option(fc.record({
    startupTimeout: fc.option(mostly(fc.constantFrom(Duration.minutes(10), Duration.hours(2)), fc.constant(Duration.days(2))), { nil: undefined }),
    smartShutdownTimeout: fc.option(mostly(fc.constantFrom(Duration.minutes(1), Duration.minutes(5)), fc.constant(Duration.hours(1))), { nil: undefined }),
  }), { nil: undefined }),
  imagePullPolicy: fc.option(mostly(fc.constantFrom(ImagePullPolicy.ALWAYS, ImagePullPolicy.IF_NOT_PRESENT), fc.constant('Sometimes' as any)), { nil: undefined, freq: 3 }),
  logicalSlotSync: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
});

describe('PostgresCluster sources property', () => {
  it('any source, method and lifecycle props either throw ValidationError or verify clean (1000 runs)', () => {
    // one app with the source cluster; each run renders its cluster in a chart of its own
    const app = Testing.app();
    const old = new PostgresCluster(new Chart(app, 'source', { namespace: 'prop' }), 'orders', {
      storage: { size: '20Gi' }, version: PostgresVersion.V17, backup: { objectStore: S3 },
      roles: [{ name: 'replicator', replication: true, passwordSecret: 'replicator' }],
    });
    let valid = 0;
    let run = 0;
    fc.assert(fc.property(scenario, s => {
      const id = `run${run++}`;
      try {
        // Names are claimed per namespace for the life of the app: each run's cluster gets a name of its own.
        check(new Chart(app, id, { namespace: 'prop' }), s, `next-${id}`);
      } finally {
        app.node.tryRemoveChild(id); // cdk8s validates the whole app at each synth: keep it small
      }
    }), { numRuns: 1000, seed: PROPERTY_SEED });
    expect(valid).toBeGreaterThan(100);

    function check(chart: Chart, s: any, name: string): void {
      const src = build(s.source, old);
      const props: Partial<PostgresClusterProps> = {
        version: s.version, publications: s.publications, timeouts: s.timeouts, imagePullPolicy: s.imagePullPolicy, logicalSlotSync: s.logicalSlotSync,
        ...(s.method === 'clone' ? { bootstrap: Bootstrap.clone({ source: src }) } : {}),
        ...(s.method === 'recovery' ? { bootstrap: Bootstrap.recovery({ source: src }) } : {}),
        ...(s.method === 'import' ? { bootstrap: Bootstrap.logicalImport({ source: src, importType: s.importType, databases: s.databases }) } : {}),
        ...(s.method === 'replica' ? { replica: { source: src, ...s.replica } } : {}),
        ...(s.method === 'subscription' ? { subscriptions: [{ name: 'sub', source: src, publicationName: 'pub' }] } : {}),
      };
      try {
        new PostgresCluster(chart, 'next', { name, storage: { size: '20Gi' }, ...props });
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        expect(e.problems.length).toBeGreaterThan(0);
        expect(chart.node.findAll().filter(c => c instanceof ApiObject)).toEqual([]);
        return;
      }
      let manifests: any[];
      try {
        manifests = synthValid(chart);
      } catch (e) {
        // the one check made at synthesis: a recovery or replica from an ObjectStore nobody renders
        expect(String(e)).toMatch(/which this app does not render/);
        expect(s.source).toMatchObject({ kind: 'store', objectStore: 'elsewhere', external: false });
        return;
      }
      valid++;
      const next = manifests.find(m => m.kind === 'Cluster' && m.metadata.name === name);
      const names = (next.spec.externalClusters ?? []).map((c: any) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const ref of [next.spec.bootstrap.recovery?.source, next.spec.bootstrap.pg_basebackup?.source, next.spec.bootstrap.initdb?.import?.source.externalCluster, next.spec.replica?.source]) {
        if (ref !== undefined) expect(names).toContain(ref);
      }
      if (s.method === 'clone' || s.method === 'recovery' || s.method === 'replica') {
        // a physical copy never crosses majors when the source's major is known
        const major = s.source.kind === 'cluster' || s.source.kind === 'backup' ? '17' : s.source.majorVersion;
        if (major !== undefined) expect(s.version.majorVersion).toBe(major);
      }
    }
  });
});
