import * as fc from 'fast-check';

const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
/** CassandraRack props: mostly defaults, sometimes a value (good or bad). */
export const cassandraRackProps = fc.record({
  name: sometimes(fc.constantFrom('s', 'sessions-a', 'Bad', 'b'.repeat(50))),
  zone: fc.oneof({ weight: 6, arbitrary: fc.constant('eu-west-1a') }, { weight: 1, arbitrary: fc.constantFrom(undefined, '-x') }),
  nodes: sometimes(fc.integer({ min: 0, max: 5 })),
  partition: sometimes(fc.integer({ min: -1, max: 3 })),
  replicationFactor: sometimes(fc.integer({ min: 0, max: 5 })),
  authentication: sometimes(fc.boolean()),
  zoneAffinity: sometimes(fc.boolean()),
  datacenterName: sometimes(fc.constantFrom('dc2', 'eu_west.1', 'bad name')),
  disruptionBudget: sometimes(fc.boolean()),
  storage: sometimes(fc.record({ size: sometimes(fc.constantFrom('10Gi', '512Mi', '10GB')), storageClass: sometimes(fc.constantFrom('fast-ssd', 'Bad')) })),
});
