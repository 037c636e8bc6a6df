import { Chart, Testing } from 'cdk8s';
import { addTo } from '../../apps/postgres-blue-green';
import { findObject, synthValid } from '../support/synth';
import { expectProductionShaped } from './support/stateless';

describe('example app: blue/green major upgrade in phase replicate', () => {
  const app = Testing.app();
  addTo(app);
  const manifests = synthValid(app.node.findChild('billing') as Chart);

  test('old cluster on 17 publishes, new cluster on 18 imports the schema and subscribes', () => {
    expect(findObject(manifests, 'Cluster', 'billing-db').spec.imageName).toMatch(/:17\./);
    const next = findObject(manifests, 'Cluster', 'billing-db-pg18');
    expect(next.spec.imageName).toMatch(/:18\./);
    expect(next.spec.bootstrap.initdb.import).toMatchObject({ schemaOnly: true, databases: ['app'] });
    expect(findObject(manifests, 'Publication').spec.cluster.name).toBe('billing-db');
    expect(findObject(manifests, 'Subscription').spec.cluster.name).toBe('billing-db-pg18');
    expect(manifests.filter(m => m.kind === 'Job')).toEqual([]);
  });

  test('the client Service points at the PostgreSQL 17 primary; the app uses it, admitted on both clusters', () => {
    expect(findObject(manifests, 'Service', 'billing-db-primary').spec.selector).toEqual({ 'cnpg.io/cluster': 'billing-db', 'cnpg.io/instanceRole': 'primary' });
    const env = findObject(manifests, 'Deployment', 'billing').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'PGHOST', value: 'billing-db-primary.billing.svc' });
    const podLabels = findObject(manifests, 'Deployment', 'billing').spec.template.metadata.labels;
    for (const policy of ['billing-db', 'billing-db-pg18']) {
      expect(findObject(manifests, 'NetworkPolicy', policy).spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: podLabels } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    }
  });

  test('the billing Deployment is production-shaped, and only the orders service (namespace orders) may call it', () => {
    const orders = { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'api' };
    expectProductionShaped(manifests, 'billing', { name: 'http', number: 80, containerPort: 8080 }, [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'orders' } }, podSelector: { matchLabels: orders } },
    ]);
  });

  test('the two clusters archive to different places', () => {
    const stores = manifests.filter(m => m.kind === 'ObjectStore').map(m => m.spec.configuration.destinationPath).sort();
    expect(stores).toEqual(['s3://acme-shop-backups/billing', 's3://acme-shop-backups/billing-pg18']);
  });
});
