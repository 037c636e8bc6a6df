import { Testing } from 'cdk8s';
import { addTo } from '../../apps/events';
import { verifyObjects } from '../../lib/verify';
import { findObject } from '../support/synth';
import { expectProductionShaped, INGRESS_CONTROLLER } from './support/stateless';

describe('example app: events', () => {
  const app = Testing.app();
  addTo(app);
  const chart = app.charts.find(c => c.node.id === 'events')!;
  const manifests = Testing.synth(chart);

  test('passes verification with zero errors', () => {
    const report = verifyObjects(manifests);
    expect(report.errors).toEqual([]);
  });

  test('the API Deployment is production-shaped: spread replicas, PDB, Service, reached only from the ingress controller', () => {
    expectProductionShaped(manifests, 'events-api', { name: 'http', number: 80, containerPort: 8080 }, [INGRESS_CONTROLLER]);
  });

  test('metrics, repairs and Medusa backups to S3: a sidecar on every node, the CronJob, their alerts; credentials from a Secret', () => {
    for (const sts of manifests.filter(m => m.kind === 'StatefulSet')) {
      expect(sts.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['cassandra', 'exporter', 'medusa']);
    }
    expect(findObject(manifests, 'CronJob', 'events-backup').spec.schedule).toBe('0 2 * * *');
    expect(findObject(manifests, 'CronJob', 'events-repair')).toBeDefined();
    const ini = findObject(manifests, 'ConfigMap', 'events-medusa').data['medusa.ini'];
    expect(ini).toContain('storage_provider = s3\nbucket_name = example-events-backups\n');
    expect(ini).toContain('max_backup_count = 14\n');
    const volumes = findObject(manifests, 'StatefulSet', 'events-zone-a').spec.template.spec.volumes;
    expect(volumes).toContainEqual(expect.objectContaining({ name: 'medusa-credentials', secret: expect.objectContaining({ secretName: 'events-medusa' }) }));
    const alerts = findObject(manifests, 'PrometheusRule', 'events').spec.groups[0].rules.map((r: any) => r.alert);
    expect(alerts).toEqual(expect.arrayContaining(['CassandraBackupFailed', 'CassandraBackupTooOld', 'CassandraRepairOverdue']));
  });

  test('three racks of two nodes in namespace events', () => {
    const sets = manifests.filter(m => m.kind === 'StatefulSet');
    expect(sets.map(s => [s.metadata.name, s.spec.replicas, s.metadata.namespace])).toEqual([
      ['events-zone-a', 2, 'events'], ['events-zone-b', 2, 'events'], ['events-zone-c', 2, 'events']]);
    for (const m of manifests) expect(m.metadata.namespace).toBe('events');
  });

  test('the API takes contact points and local datacenter from the connection info, credentials from a Secret, and may reach CQL', () => {
    const api = findObject(manifests, 'Deployment', 'events-api').spec.template.spec.containers[0];
    const env = Object.fromEntries(api.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.CASSANDRA_CONTACT_POINTS).toBe('events.events.svc.cluster.local:9042');
    expect(env.CASSANDRA_LOCAL_DATACENTER).toBe('events');
    expect(env.CASSANDRA_PASSWORD).toEqual({ secretKeyRef: { name: 'events-api-cassandra', key: 'password' } });
    const np = findObject(manifests, 'NetworkPolicy', 'events');
    const apiRule = np.spec.ingress.find((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'] === 'events-api');
    expect(apiRule.ports).toEqual([{ protocol: 'TCP', port: 9042 }]);
  });

  test('the keyspace and tables are migrated by a Job that logs in with the superuser Secret and may reach CQL', () => {
    const jobs = manifests.filter(m => m.kind === 'Job' && m.metadata.name.startsWith('events-schema-'));
    expect(jobs).toHaveLength(1);
    const env = jobs[0].spec.template.spec.containers[0].env;
    expect(env).toContainEqual(expect.objectContaining({ valueFrom: { secretKeyRef: { name: 'events-superuser', key: 'password' } } }));
    const np = findObject(manifests, 'NetworkPolicy', 'events');
    const rule = np.spec.ingress.find((r: any) => r.from[0].podSelector?.matchLabels['app.kubernetes.io/instance'] === 'events-schema');
    expect(rule.ports).toEqual([{ protocol: 'TCP', port: 9042 }]);
  });
});
