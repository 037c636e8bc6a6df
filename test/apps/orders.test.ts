import { Chart, Testing } from 'cdk8s';
import { addTo } from '../../apps/orders';
import { verifyObjects } from '../../lib/verify';
import { findObject, synthValid } from '../support/synth';
import { expectProductionShaped, INGRESS_CONTROLLER } from './support/stateless';

describe('example app: orders', () => {
  const app = Testing.app();
  addTo(app);
  const chart = app.node.findChild('orders') as Chart;
  const manifests = synthValid(chart);

  test('one chart in namespace orders; every object verified with zero errors', () => {
    expect(chart.namespace).toBe('orders');
    for (const m of manifests) expect(m.metadata.namespace).toBe('orders');
    const report = verifyObjects(manifests);
    expect(report.errors).toEqual([]);
    // backups are configured, so no cnpg-backup warning; 3 instances, so no cnpg-ha warning
    expect(report.warnings.filter(w => w.check.startsWith('cnpg-'))).toEqual([]);
  });

  test('a three-instance cluster backed up to S3 with credentials from a Secret', () => {
    const cluster = findObject(manifests, 'Cluster', 'orders-db');
    expect(cluster.spec.instances).toBe(3);
    expect(cluster.spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17.7');
    expect(cluster.spec.plugins[0]).toEqual(expect.objectContaining({ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true }));
    const store = findObject(manifests, 'ObjectStore', 'orders-db-backup');
    expect(store.spec.configuration.s3Credentials.secretAccessKey).toEqual({ name: 'orders-db-s3', key: 'ACCESS_SECRET_KEY' });
    expect(findObject(manifests, 'ScheduledBackup').spec.schedule).toBe('0 0 2 * * *');
    expect(findObject(manifests, 'Pooler', 'orders-db-pooler-rw').spec.pgbouncer.poolMode).toBe('transaction');
    expect(findObject(manifests, 'PodMonitor', 'orders-db')).toBeDefined();
    expect(findObject(manifests, 'PrometheusRule', 'orders-db')).toBeDefined();
  });

  test('the Deployment reads uri from the app Secret and is the only client let in', () => {
    const deployment = findObject(manifests, 'Deployment', 'orders');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'orders-db-app', key: 'uri' } } });
    const podLabels = deployment.spec.template.metadata.labels;
    for (const name of ['orders-db', 'orders-db-pooler-rw']) {
      const policy = findObject(manifests, 'NetworkPolicy', name);
      const clientRules = policy.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === 5432) && r.from.some((f: any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'orders'));
      expect(clientRules).toHaveLength(1);
      expect(clientRules[0].from).toEqual([{ podSelector: { matchLabels: podLabels } }]);
    }
  });

  test('the orders Deployment is production-shaped: spread replicas, PDB, Service, reached only from the ingress controller', () => {
    expectProductionShaped(manifests, 'orders', { name: 'http', number: 80, containerPort: 8080 }, [INGRESS_CONTROLLER]);
  });

  test('the schema is an AtlasSchema wired to the cluster, after it in Argo CD, with drops refused', () => {
    const schema = findObject(manifests, 'AtlasSchema', 'orders-schema');
    expect(schema.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    expect(schema.spec.credentials).toEqual(expect.objectContaining({
      scheme: 'postgres', host: 'orders-db-rw.orders.svc', port: 5432, database: 'orders',
      parameters: { sslmode: 'require' },
      passwordFrom: { secretKeyRef: { name: 'orders-db-app', key: 'password' } },
    }));
    expect(schema.spec.policy.lint.destructive.error).toBe(true);
    expect(schema.spec.policy.diff.skip).toEqual(expect.objectContaining({ drop_table: true, drop_column: true }));
    expect(JSON.stringify(schema.spec.devDB)).toContain('postgres:17');
  });
});
