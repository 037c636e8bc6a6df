import { spawnSync } from 'child_process';
import { Chart, Duration, Testing } from 'cdk8s';
import { NetworkPeer } from '../../lib/core/network';
import { PostgresCluster, PostgresClusterProps, PostgresMajorUpgrade, PostgresMajorUpgradeProps, PostgresVersion, UpgradePhase } from '../../lib/postgres';
import { scriptOf } from '../../lib/postgres/private/scripts';
import { runArgv } from '../support/commands';
import { LocalPostgres, postgresSkipReason, startPostgres } from '../support/postgres';
import { findObject, synthValid, validationErrorOf } from '../support/synth';

function render(phase: UpgradePhase, props: Partial<PostgresMajorUpgradeProps> = {}, oldProps: Partial<PostgresClusterProps> = {}) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const old = new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, version: PostgresVersion.V17, roles: [{ name: 'app', replication: true }], ...oldProps });
  const upgrade = new PostgresMajorUpgrade(chart, 'upgrade', { source: old, phase, cluster: { storage: { size: '30Gi' }, version: PostgresVersion.V18 }, ...props });
  return { chart, old, upgrade, manifests: synthValid(chart) };
}

const names = (manifests: any[], kind: string) => manifests.filter(m => m.kind === kind).map(m => m.metadata.name).sort();

describe('PostgresMajorUpgrade phases', () => {
  test.each<[UpgradePhase, string, string[], string[], string[]]>([
    [UpgradePhase.REPLICATE, 'orders', ['orders-upgrade-pg18'], ['orders-pg18-upgrade-pg18'], []],
    [UpgradePhase.CUTOVER, 'orders-pg18', ['orders-upgrade-pg18'], ['orders-pg18-upgrade-pg18'], ['orders-pg18-sequence-sync']],
    [UpgradePhase.RETIRE, 'orders-pg18', [], [], []],
  ])('%s: Service → %s, publications, subscriptions, jobs', (phase, target, pubs, subs, jobs) => {
    const { manifests, upgrade } = render(phase);
    const service = findObject(manifests, 'Service', 'orders-primary');
    expect(service.spec.selector).toEqual({ 'cnpg.io/cluster': target, 'cnpg.io/instanceRole': 'primary' });
    expect(service.spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }]);
    expect(service.metadata.annotations).toEqual({ 'data.cdk8s.io/upgrade-phase': phase, 'data.cdk8s.io/upgrade-from': 'orders', 'data.cdk8s.io/upgrade-to': 'orders-pg18' });
    expect(names(manifests, 'Publication')).toEqual(pubs);
    expect(names(manifests, 'Subscription')).toEqual(subs);
    expect(names(manifests, 'Job')).toEqual(jobs);
    expect(upgrade.connection.host).toBe('orders-primary.shop.svc');
    expect(upgrade.connection.secret!.name).toBe('orders-app');
    // the new cluster exists in every phase, bootstrapped by a schema-only import with the old Secret
    const cluster = findObject(manifests, 'Cluster', 'orders-pg18');
    expect(cluster.spec.imageName).toBe(PostgresVersion.V18.image);
    expect(cluster.spec.bootstrap.initdb).toMatchObject({
      database: 'app', owner: 'app', secret: { name: 'orders-app' },
      import: { type: 'microservice', databases: ['app'], schemaOnly: true, source: { externalCluster: 'orders-upgrade-source' } },
    });
    expect(cluster.spec.externalClusters).toEqual([{
      name: 'orders-upgrade-source',
      connectionParameters: { host: 'orders-rw.shop.svc', port: '5432', user: 'app', dbname: 'app', sslmode: 'verify-full' },
      sslRootCert: { name: 'orders-ca', key: 'ca.crt' },
      password: { name: 'orders-app', key: 'password' },
    }]);
  });

  test('replicate: publication of all tables on the old cluster, subscription on the new one, dropped with the resource', () => {
    const { manifests } = render(UpgradePhase.REPLICATE);
    expect(findObject(manifests, 'Publication').spec).toEqual({
      cluster: { name: 'orders' }, dbname: 'app', name: 'upgrade_pg18', target: { allTables: true }, publicationReclaimPolicy: 'delete',
    });
    expect(findObject(manifests, 'Subscription').spec).toEqual({
      cluster: { name: 'orders-pg18' }, dbname: 'app', name: 'upgrade_pg18', externalClusterName: 'orders-upgrade-source', publicationName: 'upgrade_pg18', subscriptionReclaimPolicy: 'delete',
    });
  });

  test('cutover: a bounded Job with the source and target connections, admitted by both clusters', () => {
    const { manifests } = render(UpgradePhase.CUTOVER, { cutoverTimeout: Duration.minutes(10) });
    const job = findObject(manifests, 'Job', 'orders-pg18-sequence-sync');
    expect(job.spec.activeDeadlineSeconds).toBe(600);
    expect(job.spec.backoffLimit).toBe(2);
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      PGHOST: 'orders-pg18-rw.shop.svc', PGDATABASE: 'app', PGSSLMODE: 'require', SOURCE_PGHOST: 'orders-rw.shop.svc', SOURCE_PGUSER: 'app', SUBSCRIPTION: 'upgrade_pg18',
      PGPASSWORD: { secretKeyRef: { name: 'orders-app', key: 'password' } }, SOURCE_PGPASSWORD: { secretKeyRef: { name: 'orders-app', key: 'password' } },
    });
    const jobPeer = { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'orders-pg18', 'app.kubernetes.io/component': 'sequence-sync' } } };
    for (const policy of ['orders', 'orders-pg18']) {
      expect(findObject(manifests, 'NetworkPolicy', policy).spec.ingress).toContainEqual({ from: [jobPeer], ports: [{ port: 5432, protocol: 'TCP' }] });
    }
  });

  test('allowFrom admits a client on both clusters', () => {
    const { chart, upgrade } = render(UpgradePhase.REPLICATE);
    upgrade.allowFrom(NetworkPeer.fromPodLabels({ app: 'api' }));
    const manifests = synthValid(chart);
    for (const policy of ['orders', 'orders-pg18']) {
      expect(findObject(manifests, 'NetworkPolicy', policy).spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    }
  });

  test.each<[string, Partial<PostgresMajorUpgradeProps>, Partial<PostgresClusterProps>, string[]]>([
    ['same major', { cluster: { storage: { size: '20Gi' }, version: PostgresVersion.V17 } }, {}, ['cluster.version']],
    ['older major', { cluster: { storage: { size: '20Gi' }, version: PostgresVersion.V16 } }, {}, ['cluster.version']],
    ['owner without REPLICATION', {}, { roles: [] }, ['user']],
    ['another user without password', { user: 'replicator' }, { roles: [{ name: 'app', replication: true }, { name: 'replicator', replication: true }] }, ['password']],
    ['bootstrap given', { cluster: { storage: { size: '20Gi' }, version: PostgresVersion.V18, bootstrap: {} as any } }, {}, ['cluster.bootstrap']],
    ['new cluster named like the old', { cluster: { storage: { size: '20Gi' }, version: PostgresVersion.V18, name: 'orders' } }, {}, ['cluster.name']],
    ['bad phase', { phase: 'switch' as any }, {}, ['phase']],
    ['timeout too short', { cutoverTimeout: Duration.seconds(5) }, {}, ['cutoverTimeout']],
    ['bad service name', { serviceName: 'Orders' }, {}, ['serviceName']],
  ])('bad input: %s', (_name, props, oldProps, expected) => {
    expect(validationErrorOf(() => render(UpgradePhase.REPLICATE, props, oldProps)).fields).toEqual(expected);
  });
});

const skip = postgresSkipReason();
const maybe = skip ? describe.skip : describe;
if (skip) console.warn(`skipping the sequence-sync test: ${skip}`);

maybe('sequence sync Job script against two PostgreSQL servers with logical replication', () => {
  let source: LocalPostgres;
  let target: LocalPostgres;
  beforeAll(async () => {
    source = await startPostgres({ settings: ['wal_level=logical'] });
    target = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await source?.stop();
    await target?.stop();
  });

  test('rows replicate; the Job waits for the subscription and copies every sequence position', () => {
    const { manifests } = render(UpgradePhase.CUTOVER);
    const publication = findObject(manifests, 'Publication').spec;
    const subscription = findObject(manifests, 'Subscription').spec;
    const cluster = findObject(manifests, 'Cluster', 'orders-pg18');
    const entry = cluster.spec.externalClusters.find((c: any) => c.name === subscription.externalClusterName);

    // the old cluster: the owner has REPLICATION (its managed role), and the application writes
    source.psql(`ALTER ROLE ${entry.connectionParameters.user} REPLICATION`, { superuser: true });
    source.psql(`CREATE TABLE orders (id bigserial PRIMARY KEY, note text NOT NULL);
      CREATE SCHEMA billing; CREATE SEQUENCE billing."Invoice No" START 1000; CREATE SEQUENCE unused_seq;
      INSERT INTO orders (note) SELECT 'before ' || g FROM generate_series(1, 50) g;
      SELECT nextval('billing."Invoice No"') FROM generate_series(1, 7);`);
    // schema-only import, as the operator's import does (pg_dump --schema-only | restore as the owner)
    const dump = spawnSync('pg_dump', ['--schema-only', '--no-owner', '--no-privileges'], { env: { ...process.env, ...source.env, PGHOST: source.host, PGPORT: String(source.port) }, encoding: 'utf8' });
    expect(dump.status).toBe(0);
    const restore = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1'], { input: dump.stdout, env: { ...process.env, ...target.env, PGHOST: target.host, PGPORT: String(target.port) }, encoding: 'utf8' });
    expect(restore.stderr).toBe('');
    // the Publication and the Subscription, as the operator creates them
    source.psql(`CREATE PUBLICATION "${publication.name}" FOR ALL TABLES`, { superuser: true, database: publication.dbname });
    const p = entry.connectionParameters;
    const conninfo = `host=${source.host} port=${source.port} user=${p.user} dbname=${p.dbname} sslmode=require password=${source.password}`;
    target.psql(`CREATE SUBSCRIPTION "${subscription.name}" CONNECTION '${conninfo}' PUBLICATION "${subscription.publicationName}"`, { superuser: true, database: subscription.dbname });
    // writes continue while the subscription copies and streams
    source.psql(`INSERT INTO orders (note) SELECT 'during ' || g FROM generate_series(1, 25) g; SELECT nextval('billing."Invoice No"') FROM generate_series(1, 5);`);

    const job = findObject(manifests, 'Job', 'orders-pg18-sequence-sync');
    const container = job.spec.template.spec.containers[0];
    const secret: Record<string, string> = { username: target.user, password: target.password };
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const e of container.env) env[e.name] = e.value ?? (e.valueFrom.secretKeyRef.key === 'password' ? undefined : secret[e.valueFrom.secretKeyRef.key]);
    Object.assign(env, {
      PGHOST: target.host, PGPORT: String(target.port), PGUSER: target.user, PGPASSWORD: target.password,
      SOURCE_PGHOST: source.host, SOURCE_PGPORT: String(source.port), SOURCE_PGPASSWORD: source.password, HOME: '/tmp',
    });
    expect(container.command.slice(0, 2)).toEqual(['/bin/bash', '-c']);
    const result = runArgv([container.command[0], container.command[1], scriptOf(job)], env, 120_000);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/has caught up/);
    expect(result.stdout).toMatch(/copied 2 sequence position\(s\)/);

    expect(target.psql('SELECT count(*), max(id) FROM orders')).toBe('75|75');
    expect(target.psql("SELECT count(*) FROM orders WHERE note LIKE 'during %'")).toBe('25');
    expect(target.psql(`SELECT last_value, is_called FROM billing."Invoice No"`)).toBe('1011|t');
    expect(target.psql("SELECT nextval('orders_id_seq')")).toBe('76');
    expect(target.psql('SELECT last_value, is_called FROM unused_seq')).toBe('1|f');
  }, 150_000);
});
