import { Warnings } from '../../lib/core/warnings';
import { PostgresCluster, PostgresClusterProps } from '../../lib/postgres';
import { ValidationError } from '../../lib/core/errors';
import { findObject, synthValid, testChart } from '../support/synth';

function synth(resources: PostgresClusterProps['resources']) {
  const chart = testChart('shop');
  const db = new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, resources });
  return { db, manifests: synthValid(chart) };
}

describe('PostgresCluster resources.memoryRequest', () => {
  it('requests the limit by default, with no warning and no skipped check', () => {
    const { db, manifests } = synth({ memory: '4Gi' });
    const cluster = findObject(manifests, 'Cluster');
    expect(cluster.spec.resources.requests.memory).toBe('4Gi');
    expect(cluster.spec.resources.limits.memory).toBe('4Gi');
    expect(cluster.metadata.annotations['skip-check.data.cdk8s.io/cnpg-resources']).toBeUndefined();
    expect(Warnings.collect(db).map(w => w.id)).not.toContain('postgres-memory-request-below-limit');
  });

  it('requests less when asked, warns, and records the reason on the Cluster so verification reports the skip', () => {
    const { db, manifests } = synth({ memory: '4Gi', memoryRequest: '2Gi' });
    const cluster = findObject(manifests, 'Cluster');
    expect(cluster.spec.resources.requests.memory).toBe('2Gi');
    expect(cluster.spec.resources.limits.memory).toBe('4Gi');
    expect(cluster.metadata.annotations['skip-check.data.cdk8s.io/cnpg-resources']).toMatch(/memory request 2Gi below the limit 4Gi/);
    expect(Warnings.collect(db).map(w => w.id)).toContain('postgres-memory-request-below-limit');
  });

  it('renders an equal request as the default does', () => {
    const { manifests } = synth({ memory: '4Gi', memoryRequest: '4096Mi' });
    expect(findObject(manifests, 'Cluster').metadata.annotations['skip-check.data.cdk8s.io/cnpg-resources']).toBeUndefined();
  });

  it.each([
    ['above the limit', { memory: '1Gi', memoryRequest: '2Gi' }],
    ['not a quantity', { memory: '1Gi', memoryRequest: '1GB' }],
    ['too small', { memory: '1Gi', memoryRequest: '64Mi' }],
  ])('refuses a request %s', (_, resources) => {
    const chart = testChart('shop');
    expect(() => new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, resources })).toThrow(ValidationError);
    try {
      new PostgresCluster(testChart('shop'), 'orders', { storage: { size: '20Gi' }, resources });
    } catch (e) {
      expect((e as ValidationError).fields).toEqual(['resources.memoryRequest']);
    }
    expect(chart.node.findAll().filter(c => c.node.id === 'Resource')).toHaveLength(0);
  });
});
