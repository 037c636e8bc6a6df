import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { CassandraVersion, CassandraWorkload } from '../../../lib/cassandra';
import { ObjectStoreProvider } from '../../../lib/postgres';
import { Credentials } from '../../../lib/core';

/** Mostly undefined (the default), sometimes a value from `arb`. */
export const sometimes = <T>(arb: fc.Arbitrary<T>, weight = 1) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight, arbitrary: arb });
/** Mostly a good value, rarely a bad one. */
export const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 15, arbitrary: good }, { weight: 1, arbitrary: bad });

const workload = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  { weight: 3, arbitrary: fc.record({ workload: fc.constant(CassandraWorkload.ADVANCED_STATEFUL_SET), maxUnavailable: sometimes(fc.integer({ min: 1, max: 2 })) }) },
  { weight: 1, arbitrary: fc.record({ workload: fc.constantFrom(CassandraWorkload.STATEFUL_SET, 'CloneSet' as any), maxUnavailable: sometimes(fc.integer({ min: 0, max: 3 })) }) },
);
const rack = fc.tuple(fc.record({
  name: mostly(fc.constantFrom('r1', 'r2', 'r3', 'zone-a', 'zone-b'), fc.constantFrom('Bad', 'x'.repeat(50))),
  zone: mostly(fc.constantFrom('eu-west-1a', 'eu-west-1b'), fc.constantFrom(undefined as any, 'bad zone!')),
  partition: sometimes(fc.integer({ min: -1, max: 2 })),
}), workload).map(([r, w]) => ({ ...r, ...w }));
/** CassandraDatacenter props: mostly valid, sometimes not. */
export const cassandraDatacenterProps = fc.record({
  name: mostly(fc.constantFrom('events', 'orders-dc', 'a'), fc.constantFrom('A1', 'x'.repeat(50))),
  racks: mostly<any[]>(fc.uniqueArray(rack, { minLength: 1, maxLength: 3, selector: r => r.name }), fc.constant([])),
  nodesPerRack: sometimes(mostly(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 1.5)), 3),
  resources: sometimes(fc.record({ cpu: mostly(fc.constantFrom('500m', '2'), fc.constant('lots')), memory: mostly(fc.constantFrom('2Gi', '4Gi', '16Gi'), fc.constantFrom('512Mi', '4GB')) })),
  heap: sometimes(fc.record({ maxHeapSize: fc.constantFrom('1Gi', '2Gi', '12Gi', 'x'), newSize: sometimes(fc.constantFrom('100Mi', '4Gi')) })),
  authentication: sometimes(fc.boolean()),
  zoneAffinity: sometimes(fc.boolean()),
  replicationFactor: sometimes(fc.integer({ min: 0, max: 5 })),
  settings: sometimes(fc.record({ numTokens: sometimes(fc.integer({ min: 0, max: 300 })), concurrentReads: sometimes(fc.integer({ min: 0, max: 64 })) })),
  version: fc.constantFrom(CassandraVersion.V4_1, CassandraVersion.V5_0, CassandraVersion.fromImage('registry.example.com/cassandra:5.0.5-custom')),
  additionalSeeds: sometimes(fc.uniqueArray(mostly(fc.constantFrom('dc2-r1-0.dc2-headless.ns.svc.cluster.local', '10.1.2.3'), fc.constant('bad seed')), { maxLength: 2 })),
  monitoring: sometimes(fc.record({
    enabled: sometimes(fc.boolean()), alerts: sometimes(fc.boolean()), podMonitor: sometimes(fc.boolean()),
    pendingCompactionsThreshold: sometimes(fc.integer({ min: 1, max: 500 })),
    exporterImage: sometimes(mostly(fc.constant('criteord/cassandra_exporter:2.3.8'), fc.constant('criteord/cassandra_exporter:latest'))),
  })),
  repairs: sometimes(fc.record({
    jmxCredentials: mostly(fc.constant(Credentials.fromSecret('jmx')), fc.constant(undefined as any)),
    keyspaces: sometimes(fc.uniqueArray(mostly(fc.constantFrom('events', 'audit'), fc.constant('bad-name')), { maxLength: 2 })),
    timeout: sometimes(mostly(fc.constant(Duration.hours(2)), fc.constant(Duration.minutes(1)))),
  })),
  backup: sometimes(fc.record({
    provider: mostly(fc.constantFrom(...Object.values(ObjectStoreProvider)), fc.constant('FTP' as any)),
    bucket: mostly(fc.constantFrom('events-backups', 'b.c-d'), fc.constant('Bad Bucket')),
    endpointUrl: sometimes(mostly(fc.constantFrom('https://minio.storage.svc:9000', 'http://ceph'), fc.constant('minio:9000'))),
    credentials: fc.constant({ secretName: 'medusa', key: 'credentials' }),
    keep: sometimes(fc.integer({ min: 0, max: 30 })),
    maxAge: sometimes(mostly(fc.constant(Duration.days(30)), fc.constant(Duration.hours(5)))),
    restoreFrom: sometimes(fc.record({ backupName: mostly(fc.constant('events-20260101020000'), fc.constant('bad name')) })),
  })),
});
