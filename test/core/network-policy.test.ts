// Every pod the library renders is selected by a NetworkPolicy; helper pods admit nothing; egress
// is restricted per construct when asked for.
import { Chart, Cron, Testing } from 'cdk8s';
import { CassandraDatacenter } from '../../lib/cassandra';
import { Credentials, NetworkPeer } from '../../lib/core';
import { EgressProps } from '../../lib/core/egress';
import { MigrationMode, Migrations, SchemaMigration } from '../../lib/migration';
import { MySqlSingleNode, MySqlSingleNodeProps } from '../../lib/mysql';
import { ExternalCluster, ObjectStoreProvider, PostgresCluster, PostgresClusterProps, PostgresEgressProps, PostgresMajorUpgrade, PostgresVersion, UpgradePhase } from '../../lib/postgres';
import { findObject, synthValid, testChart, validationErrorOf } from '../support/synth';

const STORE = NetworkPeer.fromCidr('203.0.113.0/24');
const API = NetworkPeer.fromCidr('10.0.0.1/32');
const DNS = [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];
const KUBE_DNS = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } };
const MYSQL_STORE = {
  destinationPath: 's3://backups/orders',
  endpointUrl: 'https://minio.storage.svc:9000',
  s3: { accessKeyId: { secretName: 'backup-s3', key: 'id' }, secretAccessKey: { secretName: 'backup-s3', key: 'secret' } },
};
const PG_STORE = {
  provider: ObjectStoreProvider.S3,
  destinationPath: 's3://backups/orders',
  s3: { accessKeyId: { secretName: 'orders-s3', key: 'ID' }, secretAccessKey: { secretName: 'orders-s3', key: 'SECRET' } },
};

/** Pod templates of Jobs, CronJobs and workloads, with their owner. */
function podTemplates(manifests: any[]): Array<{ owner: any; labels: Record<string, string> }> {
  return manifests.flatMap(m => {
    const t = m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template : ['Job', 'Deployment', 'StatefulSet', 'DaemonSet'].includes(m.kind) ? m.spec.template : undefined;
    return t ? [{ owner: m, labels: t.metadata?.labels ?? {} }] : [];
  });
}

function selects(policy: any, labels: Record<string, string>): boolean {
  return Object.entries(policy.spec.podSelector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** Each Job's and CronJob's pods: selected by exactly one policy, which admits nothing and selects no database pod. */
function expectHelpersIsolated(manifests: any[]): number {
  const policies = manifests.filter(m => m.kind === 'NetworkPolicy');
  const pods = podTemplates(manifests);
  const helpers = pods.filter(p => p.owner.kind === 'Job' || p.owner.kind === 'CronJob');
  for (const helper of helpers) {
    const selecting = policies.filter(p => p.metadata.namespace === helper.owner.metadata.namespace && selects(p, helper.labels));
    expect({ pods: `${helper.owner.kind}/${helper.owner.metadata.name}`, policies: selecting.map(p => p.metadata.name) })
      .toEqual({ pods: `${helper.owner.kind}/${helper.owner.metadata.name}`, policies: [expect.any(String)] });
    const [policy] = selecting;
    expect(policy.spec.policyTypes).toContain('Ingress');
    expect(policy.spec.ingress).toEqual([]);
    // The helper's policy selects no database pod, so it never closes the database's ports.
    for (const other of pods.filter(p => p.owner.kind !== 'Job' && p.owner.kind !== 'CronJob')) expect(selects(policy, other.labels)).toBe(false);
  }
  return helpers.length;
}

describe('every helper pod is selected by a policy of its own that admits nothing', () => {
  test('MySqlSingleNode: backup CronJob (volume and bucket) and restore Jobs', () => {
    const chart = testChart('shop');
    const db = new MySqlSingleNode(chart, 'orders', { rootPassword: { secretName: 'orders-root', key: 'password' }, logicalBackup: { objectStore: MYSQL_STORE } });
    db.addRestoreJob();
    db.addRestoreJob('FromBucket', { name: 'orders-restore-bucket', fromObjectStore: true });
    const manifests = synthValid(chart);
    expect(expectHelpersIsolated(manifests)).toBe(3);
    const backup = findObject(manifests, 'NetworkPolicy', 'orders-backup');
    expect(backup.spec).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'backup' } }, policyTypes: ['Ingress'], ingress: [] });
    expect(findObject(manifests, 'NetworkPolicy', 'orders-restore').spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('restore');
    // The server still admits its Jobs on 3306.
    const server = findObject(manifests, 'NetworkPolicy', 'orders');
    expect(server.spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/component'])).toEqual(['backup', 'restore', 'restore']);
  });

  test('PostgresCluster: dump CronJob and restore Job share one policy; the upgrade cutover Job has its own', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const old = new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, version: PostgresVersion.V17, roles: [{ name: 'app', replication: true }], logicalBackup: { storage: { size: '10Gi' } } });
    old.addRestoreJob();
    new PostgresMajorUpgrade(chart, 'upgrade', { source: old, phase: UpgradePhase.CUTOVER, cluster: { storage: { size: '20Gi' }, version: PostgresVersion.V18 } });
    const manifests = synthValid(chart);
    expect(expectHelpersIsolated(manifests)).toBe(3);
    expect(findObject(manifests, 'NetworkPolicy', 'orders-dump').spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'logical-backup',
    });
    expect(findObject(manifests, 'NetworkPolicy', 'orders-pg18-sequence-sync').spec.ingress).toEqual([]);
  });

  test('CassandraDatacenter: superuser Job and repair CronJob; SchemaMigration Job', () => {
    const chart = testChart('events');
    const dc = new CassandraDatacenter(chart, 'events', {
      racks: [{ name: 'r1', zone: 'a' }, { name: 'r2', zone: 'b' }, { name: 'r3', zone: 'c' }], repairs: { jmxCredentials: Credentials.fromSecret('events-jmx') },
    });
    new SchemaMigration(chart, 'events-schema', { target: dc, migrations: Migrations.fromFiles([{ name: '001_init.cql', content: 'CREATE TABLE IF NOT EXISTS events.e (id int PRIMARY KEY);' }]) });
    const manifests = synthValid(chart);
    expect(expectHelpersIsolated(manifests)).toBe(3);
    expect(findObject(manifests, 'NetworkPolicy', 'events-superuser').metadata.labels['app.kubernetes.io/component']).toBe('superuser-setup');
    expect(findObject(manifests, 'NetworkPolicy', 'events-schema').spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'schema-migration', 'app.kubernetes.io/instance': 'events-schema', 'app.kubernetes.io/component': 'migration',
    });
  });
});

describe('egress stays open by default and is restricted per construct when asked for', () => {
  test('off by default: no policy lists Egress', () => {
    const chart = testChart('shop');
    new MySqlSingleNode(chart, 'orders', { rootPassword: { secretName: 'orders-root', key: 'password' }, logicalBackup: {} });
    new PostgresCluster(chart, 'pg', { storage: { size: '20Gi' } });
    for (const p of synthValid(chart).filter(m => m.kind === 'NetworkPolicy')) {
      expect(p.spec.policyTypes).toEqual(['Ingress']);
      expect(p.spec.egress).toBeUndefined();
    }
  });

  test('MySqlSingleNode: DNS everywhere, the server for the Jobs, the bucket for the pods that use it', () => {
    const chart = testChart('shop');
    const db = new MySqlSingleNode(chart, 'orders', {
      rootPassword: { secretName: 'orders-root', key: 'password' },
      logicalBackup: { keepOnVolume: false, pointInTimeRecovery: true, objectStore: MYSQL_STORE },
      egress: { objectStorage: [STORE], objectStoragePorts: [443, 9000] },
    });
    db.addRestoreJob();
    const manifests = synthValid(chart);
    const server = findObject(manifests, 'NetworkPolicy', 'orders');
    expect(server.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    // The binary log uploader runs in the server pod.
    expect(server.spec.egress).toEqual([
      { to: [KUBE_DNS], ports: DNS },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 9000 }] },
    ]);
    for (const name of ['orders-backup', 'orders-restore']) {
      const job = findObject(manifests, 'NetworkPolicy', name);
      expect(job.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(job.spec.ingress).toEqual([]);
      expect(job.spec.egress).toEqual([
        { to: [KUBE_DNS], ports: DNS },
        { to: [{ podSelector: { matchLabels: db.podSelector } }], ports: [{ protocol: 'TCP', port: 3306 }] },
        { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 9000 }] },
      ]);
    }
  });

  test('MySqlSingleNode: dumps on the volume reach no bucket; enabled: false leaves egress open', () => {
    const chart = testChart('shop');
    new MySqlSingleNode(chart, 'orders', { rootPassword: { secretName: 'orders-root', key: 'password' }, logicalBackup: {}, egress: { dns: NetworkPeer.fromPodLabels({ app: 'dns' }, 'dns') } });
    new MySqlSingleNode(chart, 'blog', { rootPassword: { secretName: 'blog-root', key: 'password' }, egress: { enabled: false } });
    const manifests = synthValid(chart);
    expect(findObject(manifests, 'NetworkPolicy', 'orders').spec.egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'dns' } } }], ports: DNS }]);
    expect(findObject(manifests, 'NetworkPolicy', 'orders-backup').spec.egress).toHaveLength(2);
    expect(findObject(manifests, 'NetworkPolicy', 'blog').spec.policyTypes).toEqual(['Ingress']);
  });

  test('CassandraDatacenter: nodes reach each other and the peers; Jobs reach CQL and JMX only', () => {
    const chart = testChart('events');
    const peer = NetworkPeer.fromPodLabels({ 'app.kubernetes.io/instance': 'dc1' }, 'other');
    const dc = new CassandraDatacenter(chart, 'events', {
      racks: [{ name: 'r1', zone: 'a' }, { name: 'r2', zone: 'b' }, { name: 'r3', zone: 'c' }], peers: [peer],
      repairs: { jmxCredentials: Credentials.fromSecret('events-jmx') }, egress: {},
    });
    const manifests = synthValid(chart);
    const nodes = { podSelector: { matchLabels: dc.podSelector } };
    expect(findObject(manifests, 'NetworkPolicy', 'events').spec.egress).toEqual([
      { to: [KUBE_DNS], ports: DNS },
      { to: [nodes], ports: [7000, 7001, 9042].map(port => ({ protocol: 'TCP', port })) },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'dc1' } } }], ports: [7000, 7001].map(port => ({ protocol: 'TCP', port })) },
    ]);
    expect(findObject(manifests, 'NetworkPolicy', 'events-superuser').spec.egress).toEqual([{ to: [KUBE_DNS], ports: DNS }, { to: [nodes], ports: [{ protocol: 'TCP', port: 9042 }] }]);
    expect(findObject(manifests, 'NetworkPolicy', 'events-repair').spec.egress).toEqual([{ to: [KUBE_DNS], ports: DNS }, { to: [nodes], ports: [{ protocol: 'TCP', port: 7199 }] }]);
  });

  test('CassandraDatacenter with Medusa backups: the nodes reach the bucket, the backup Job only the nodes\' gRPC port', () => {
    const chart = testChart('events');
    const dc = new CassandraDatacenter(chart, 'events', {
      racks: [{ name: 'r1', zone: 'a' }, { name: 'r2', zone: 'b' }, { name: 'r3', zone: 'c' }],
      backup: { provider: ObjectStoreProvider.S3, bucket: 'events-backups', region: 'eu-west-1', credentials: { secretName: 'events-medusa', key: 'credentials' } },
      egress: { objectStorage: [STORE] },
    });
    const manifests = synthValid(chart);
    const nodes = { podSelector: { matchLabels: dc.podSelector } };
    expect(findObject(manifests, 'NetworkPolicy', 'events').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expect(findObject(manifests, 'NetworkPolicy', 'events-backup').spec.egress).toEqual([{ to: [KUBE_DNS], ports: DNS }, { to: [nodes], ports: [{ protocol: 'TCP', port: 50051 }] }]);
    expect(findObject(manifests, 'NetworkPolicy', 'events-backup').spec.ingress).toEqual([]);
  });

  test('SchemaMigration: the Job reaches DNS and the target on its port', () => {
    const chart = testChart('shop');
    const db = new MySqlSingleNode(chart, 'blog', { rootPassword: { secretName: 'blog-root', key: 'password' }, database: 'blog', user: Credentials.fromSecret('blog-app') });
    new SchemaMigration(chart, 'blog-schema', { target: db, migrations: Migrations.fromFiles([{ name: '001_init.sql', content: 'CREATE TABLE t (id int);' }]), mode: MigrationMode.JOB, egress: {} });
    const policy = findObject(synthValid(chart), 'NetworkPolicy', 'blog-schema');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.egress).toEqual([{ to: [KUBE_DNS], ports: DNS }, { to: [{ podSelector: { matchLabels: db.podSelector } }], ports: [{ protocol: 'TCP', port: 3306 }] }]);
  });

  test('PostgresCluster: an egress-only policy for every pod of the cluster; poolers and dumps have their own', () => {
    const chart = testChart('shop');
    const source = new PostgresCluster(chart, 'legacy', { storage: { size: '20Gi' } });
    const egress: PostgresEgressProps = { kubernetesApi: [API], objectStorage: [STORE] };
    new PostgresCluster(chart, 'orders', {
      storage: { size: '20Gi' }, backup: { objectStore: PG_STORE, schedule: Cron.schedule({ minute: '0', hour: '2' }) }, logicalBackup: { storage: { size: '10Gi' } }, pooler: {}, egress,
    });
    new PostgresCluster(chart, 'copy', { storage: { size: '20Gi' }, replica: { source: ExternalCluster.fromCluster(source) }, egress: { kubernetesApi: [API] } });
    const manifests = synthValid(chart);
    const instances = findObject(manifests, 'NetworkPolicy', 'orders-egress');
    expect(instances.spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'orders' } });
    expect(instances.spec.policyTypes).toEqual(['Egress']);
    expect(instances.spec.ingress).toBeUndefined();
    expect(instances.spec.egress).toEqual([
      { to: [KUBE_DNS], ports: DNS },
      { to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders' } } }], ports: [5432, 8000].map(port => ({ protocol: 'TCP', port })) },
      { to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: [443, 6443].map(port => ({ protocol: 'TCP', port })) },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    // The instance policy keeps its ingress rules and stays ingress-only.
    expect(findObject(manifests, 'NetworkPolicy', 'orders').spec.policyTypes).toEqual(['Ingress']);
    const pooler = manifests.find(m => m.kind === 'NetworkPolicy' && m.spec.podSelector.matchLabels['cnpg.io/poolerName']);
    expect(pooler.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(pooler.spec.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders', 'cnpg.io/podRole': 'instance' } } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(pooler.spec.egress[2].to).toEqual([{ ipBlock: { cidr: '10.0.0.1/32' } }]);
    expect(findObject(manifests, 'NetworkPolicy', 'orders-dump').spec.egress[1].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
    // A replica reaches its source cluster's pods.
    expect(findObject(manifests, 'NetworkPolicy', 'copy-egress').spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'legacy' } } }], ports: [{ protocol: 'TCP', port: 5432 }] });
  });
});

describe('CloudNativePG networking facts (cloudnative-pg.io/documentation/current/networking, discussion 1192)', () => {
  test('the operator reaches every instance on 8000 and 5432; instances reach each other', () => {
    const chart = testChart('shop');
    new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, network: { operatorNamespace: 'cnpg-system' } });
    const policy = findObject(synthValid(chart), 'NetworkPolicy', 'orders');
    const operator = policy.spec.ingress.find((r: any) => r.from[0].namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'cnpg-system');
    expect(operator.from[0].podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } });
    expect(operator.ports.map((p: any) => p.port).sort()).toEqual([5432, 8000]);
    expect(policy.spec.ingress[0]).toEqual({ from: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders' } } }], ports: [5432, 8000].map(port => ({ protocol: 'TCP', port })) });
  });

  test('the instance manager talks to the Kubernetes API: restricted egress needs its addresses', () => {
    const chart = testChart('shop');
    expect(() => new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, egress: {} })).toThrow(/egress\.kubernetesApi: is required/);
  });
});

describe('bad egress input', () => {
  const mysql = (egress: EgressProps, more: Partial<MySqlSingleNodeProps> = {}) => () =>
    new MySqlSingleNode(testChart('shop'), 'orders', { rootPassword: { secretName: 'orders-root', key: 'password' }, egress, ...more });
  const pg = (egress: PostgresEgressProps, more: Partial<PostgresClusterProps> = {}) => () =>
    new PostgresCluster(testChart('shop'), 'orders', { storage: { size: '20Gi' }, egress, ...more });
  test.each([
    ['CIDR without a prefix', mysql({ objectStorage: [NetworkPeer.fromCidr('10.0.0.1')] }), 'egress.objectStorage[0].cidr'],
    ['prefix too long for IPv4', mysql({ objectStorage: [NetworkPeer.fromCidr('10.0.0.0/33')] }), 'egress.objectStorage[0].cidr'],
    ['not an address', mysql({ objectStorage: [NetworkPeer.fromCidr('s3.amazonaws.com/32')] }), 'egress.objectStorage[0].cidr'],
    ['except outside the block', mysql({ objectStorage: [NetworkPeer.fromCidr('10.0.0.0/16', ['10.1.0.0/24'])] }), 'egress.objectStorage[0].except[0]'],
    ['except wider than the block', mysql({ objectStorage: [NetworkPeer.fromCidr('10.0.0.0/16', ['10.0.0.0/8'])] }), 'egress.objectStorage[0].except[0]'],
    ['objectStorage not a list', mysql({ objectStorage: STORE as any }), 'egress.objectStorage'],
    ['objectStorage entry not a peer', mysql({ objectStorage: ['10.0.0.0/8' as any] }), 'egress.objectStorage[0]'],
    ['port out of range', mysql({ objectStoragePorts: [0] }), 'egress.objectStoragePorts[0]'],
    ['empty port list', mysql({ objectStoragePorts: [] }), 'egress.objectStoragePorts'],
    ['dns not a peer', mysql({ dns: 'kube-dns' as any }), 'egress.dns'],
    ['enabled not a boolean', mysql({ enabled: 'yes' as any }), 'egress.enabled'],
    ['bucket without its addresses', mysql({}, { logicalBackup: { objectStore: MYSQL_STORE } }), 'egress.objectStorage'],
    ['PostgreSQL without the API servers', pg({}), 'egress.kubernetesApi'],
    ['PostgreSQL API port out of range', pg({ kubernetesApi: [API], kubernetesApiPorts: [70000] }), 'egress.kubernetesApiPorts[0]'],
    ['PostgreSQL archive without the bucket', pg({ kubernetesApi: [API] }, { backup: { objectStore: PG_STORE } }), 'egress.objectStorage'],
    ['Cassandra backups without the bucket', () => new CassandraDatacenter(testChart('events'), 'events', { racks: [{ name: 'r1', zone: 'a' }], replicationFactor: 1, egress: {}, backup: { provider: ObjectStoreProvider.S3, bucket: 'events-backups', region: 'eu-west-1', credentials: { secretName: 'events-medusa', key: 'credentials' } } }), 'egress.objectStorage'],
    ['Cassandra with a bad CIDR', () => new CassandraDatacenter(testChart('events'), 'events', { racks: [{ name: 'r1', zone: 'a' }], replicationFactor: 1, egress: { objectStorage: [NetworkPeer.fromCidr('::1/129')] } }), 'egress.objectStorage[0].cidr'],
  ] as const)('%s', (_name, build, field) => {
    expect(validationErrorOf(build).fields).toContain(field);
  });

  test('good blocks: IPv4, IPv6, a single address, an exception inside', () => {
    const chart = testChart('shop');
    new MySqlSingleNode(chart, 'orders', {
      rootPassword: { secretName: 'orders-root', key: 'password' },
      egress: { objectStorage: [NetworkPeer.fromCidr('10.0.0.0/8', ['10.1.0.0/16']), NetworkPeer.fromCidr('2001:db8::/32'), NetworkPeer.fromCidr('198.51.100.7/32')] },
      logicalBackup: { objectStore: MYSQL_STORE },
    });
    const policy = findObject(synthValid(chart), 'NetworkPolicy', 'orders-backup');
    expect(policy.spec.egress[2].to).toEqual([
      { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: '2001:db8::/32' } }, { ipBlock: { cidr: '198.51.100.7/32' } },
    ]);
  });
});
