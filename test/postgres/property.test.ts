import { ApiObject, Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { ValidationError } from '../../lib/core/errors';
import { NetworkPeer } from '../../lib/core/network';
import { PostgresCluster, PostgresClusterProps } from '../../lib/postgres';
import { postgresClusterProps as props } from '../support/arbitraries/postgres-cluster';
import { synthValid } from '../support/synth';

/** Fixed, so the runs (and the count of valid prop sets the test asserts on) are the same on every run and machine. */
const PROPERTY_SEED = 5432;

describe('PostgresCluster property', () => {
  it('either throws ValidationError or verifies clean (1000 runs)', () => {
    let valid = 0;
    fc.assert(fc.property(props, generated => {
      const chart = new Chart(Testing.app(), 'p', { namespace: 'prop' });
      let db: PostgresCluster;
      try {
        db = new PostgresCluster(chart, 'db', { acknowledge: generated.superuserAccess ? ['cnpg-superuser'] : undefined, ...generated } as PostgresClusterProps);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        expect(e.problems.length).toBeGreaterThan(0);
        expect(chart.node.findAll().some(c => c instanceof ApiObject)).toBe(false);
        return;
      }
      db.allowFrom(NetworkPeer.fromPodLabels({ app: 'client' }));
      const manifests = synthValid(chart);
      valid++;
      const cluster = manifests.find(m => m.kind === 'Cluster');
      expect(cluster.spec.enablePDB).toBe(true);
      expect(cluster.spec.affinity.enablePodAntiAffinity).toBe(true);
      expect(cluster.spec.resources.requests.memory).toBe(cluster.spec.resources.limits.memory);
      for (const b of manifests.filter(m => m.kind === 'ScheduledBackup')) expect(b.spec.schedule.split(' ')).toHaveLength(6);
      expect(Object.keys(cluster.spec.bootstrap)).toHaveLength(1);
      expect(db.connection.adminSecret !== undefined).toBe(generated.superuserAccess === true);
    }), { numRuns: 1000, seed: PROPERTY_SEED });
    expect(valid).toBeGreaterThan(100);
  });
});
