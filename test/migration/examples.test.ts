/**
 * The example schemas under apps/schema, wired the way the example apps wire them (real
 * PostgresCluster, MySqlSingleNode and CassandraDatacenter targets), synthesized, verified, and
 * applied: orders.sql to a real PostgreSQL server, the blog migrations through the rendered MySQL
 * runner to a real MariaDB server, the events migrations through the rendered Cassandra runner to
 * the stand-in cqlsh.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { CassandraDatacenter } from '../../lib/cassandra';
import { Credentials } from '../../lib/core/credentials';
import { SchemaMigration, Schema, Migrations, MigrationMode } from '../../lib/migration';
import { MySqlSingleNode, MySqlVersion } from '../../lib/mysql';
import { Bootstrap, PostgresCluster, PostgresVersion } from '../../lib/postgres';
import { findObject, synthValid } from '../support/synth';
import { MariaDb, mariaDbUnavailable, startMariaDb } from '../support/mariadb';
import { renderedRunner, runRunner } from './support/runner';
import { startFakeCql } from './support/fake-cql/server';
import { LocalPostgres, postgresSkipReason, startPostgres } from '../support/postgres';

const ROOT = resolve(__dirname, '..', '..');
const SCHEMA = join(ROOT, 'apps', 'schema');

function ordersChart(app: App = Testing.app()): { chart: Chart; db: PostgresCluster } {
  const chart = new Chart(app, 'orders', { namespace: 'orders' });
  const db = new PostgresCluster(chart, 'orders-db', {
    instances: 3, version: PostgresVersion.V17, storage: { size: '50Gi' },
    bootstrap: Bootstrap.initdb({ database: 'orders', owner: 'orders' }),
  });
  return { chart, db };
}

function blogChart(): { chart: Chart; db: MySqlSingleNode } {
  const chart = new Chart(Testing.app(), 'mysql-wordpress', { namespace: 'blog' });
  const db = new MySqlSingleNode(chart, 'blog-db', {
    version: MySqlVersion.V8_4, storage: { size: '20Gi' },
    rootPassword: { secretName: 'blog-db-root', key: 'password' },
    database: 'wordpress', user: Credentials.fromSecret('blog-db-app'),
  });
  return { chart, db };
}

function eventsChart(): { chart: Chart; dc: CassandraDatacenter } {
  const chart = new Chart(Testing.app(), 'events', { namespace: 'events' });
  const dc = new CassandraDatacenter(chart, 'events', {
    racks: ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` })),
    nodesPerRack: 2, replicationFactor: 3, resources: { cpu: '2', memory: '8Gi' }, storage: { size: '100Gi' },
  });
  return { chart, dc };
}

describe('orders: declarative AtlasSchema from apps/schema/orders.sql on a PostgresCluster', () => {
  test('credentials, TLS, dev database and safety policy come from the cluster', () => {
    const { chart, db } = ordersChart();
    new SchemaMigration(chart, 'orders-schema', { target: db, schema: Schema.fromFile(join(SCHEMA, 'orders.sql')) });
    const manifests = synthValid(chart);
    const schema = findObject(manifests, 'AtlasSchema', 'orders-schema');
    expect(schema.metadata.namespace).toBe('orders');
    expect(schema.spec.credentials).toEqual({
      scheme: 'postgres', host: 'orders-db-rw.orders.svc', port: 5432, database: 'orders',
      userFrom: { secretKeyRef: { name: 'orders-db-app', key: 'username' } },
      passwordFrom: { secretKeyRef: { name: 'orders-db-app', key: 'password' } },
      parameters: { sslmode: 'require' },
    });
    expect(schema.spec.devDB.spec.containers[0].image).toBe('postgres:17');
    expect(schema.spec.policy.lint.destructive.error).toBe(true);
    const cm = findObject(manifests, 'ConfigMap', 'orders-schema-schema');
    expect(cm.data['schema.sql']).toBe(readFileSync(join(SCHEMA, 'orders.sql'), 'utf8'));
    expect(schema.spec.schema).toEqual({ configMapKeyRef: { name: 'orders-schema-schema', key: 'schema.sql' } });
    // The Atlas Operator may reach the database through its NetworkPolicy.
    const policies = manifests.filter(m => m.kind === 'NetworkPolicy');
    const peers = policies.flatMap(p => (p.spec.ingress ?? []).flatMap((r: any) => r.from ?? []));
    expect(peers).toContainEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'atlas-operator' } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'atlas-operator' } },
    });
  });

  test('a migration in its own chart depends on the database chart; sync waves when asked', () => {
    const app = Testing.app();
    const { db } = ordersChart(app);
    const migrations = new Chart(app, 'orders-migrations', { namespace: 'orders' });
    new SchemaMigration(migrations, 'orders-schema', { target: db, schema: Schema.fromFile(join(SCHEMA, 'orders.sql')), argoSyncWave: 5 });
    expect(migrations.node.dependencies.map(d => d.node.id)).toContain('orders');
    const manifests = synthValid(migrations);
    for (const m of manifests) expect(m.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('5');
  });

  const reason = postgresSkipReason();
  (reason ? test.skip : test)(`orders.sql is valid PostgreSQL (applied to a real server)${reason ? ` [skipped: ${reason}]` : ''}`, async () => {
    let server: LocalPostgres | undefined;
    try {
      server = await startPostgres({ user: 'orders', database: 'orders' });
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', join(SCHEMA, 'orders.sql')], { env: { ...process.env, ...server.env }, stdio: 'pipe' });
      expect(server.psql("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'"))
        .toBe('customers,order_items,orders');
    } finally {
      await server?.stop();
    }
  }, 60_000);
});

describe('blog: versioned Job-mode migrations from apps/schema/blog on a MySqlSingleNode', () => {
  const render = () => {
    const { chart, db } = blogChart();
    new SchemaMigration(chart, 'blog-schema', { target: db, mode: MigrationMode.JOB, migrations: Migrations.fromDirectory(join(SCHEMA, 'blog')) });
    return { manifests: synthValid(chart), db };
  };

  test('the Job takes host, database and the app user from the MySqlSingleNode', () => {
    const { manifests } = render();
    const r = renderedRunner(manifests);
    const env = Object.fromEntries(r.env.map(e => [e.name, e.value ?? e.secret]));
    expect(env).toMatchObject({
      DB_HOST: 'blog-db.blog.svc', DB_PORT: '3306', DB_NAME: 'wordpress',
      DB_USER: { name: 'blog-db-app', key: 'username' }, MYSQL_PWD: { name: 'blog-db-app', key: 'password' },
    });
    expect(r.job.spec.template.spec.containers[0].image).toBe('mysql:8.4');
    expect(Object.keys(r.data).sort()).toEqual(['0001_create_newsletter_subscribers.sql', '0002_add_subscriber_confirmation.sql', 'migrate.sh']);
    // The MySQL NetworkPolicy admits the migration pod.
    const peers = manifests.filter(m => m.kind === 'NetworkPolicy').flatMap(p => (p.spec.ingress ?? []).flatMap((x: any) => x.from ?? []));
    expect(peers).toContainEqual({ podSelector: { matchLabels: r.job.spec.template.metadata.labels } });
  });

  const reason = mariaDbUnavailable();
  (reason ? test.skip : test)(`the blog migrations apply to a real server through the rendered runner${reason ? ` [skipped: ${reason}]` : ''}`, async () => {
    let server: MariaDb | undefined;
    try {
      server = await startMariaDb();
      server.sql("CREATE DATABASE wordpress; CREATE USER 'wp'@'%' IDENTIFIED BY 'wp-secret'; GRANT ALL ON wordpress.* TO 'wp'@'%'");
      const r = renderedRunner(render().manifests);
      // The Service DNS name does not resolve here: the same Job env, pointed at the loopback server.
      const result = await runRunner(r, { 'blog-db-app/username': 'wp', 'blog-db-app/password': 'wp-secret' },
        { overrides: { DB_HOST: server.host, DB_PORT: String(server.port) } });
      if (result.code !== 0) throw new Error(result.stderr);
      expect(server.sql('SELECT version FROM schema_migration_history ORDER BY version', 'wordpress').trim().split('\n')).toEqual(['0001', '0002']);
      expect(server.sql("SELECT column_name FROM information_schema.columns WHERE table_schema = 'wordpress' AND table_name = 'newsletter_subscribers' ORDER BY ordinal_position").trim().split('\n'))
        .toEqual(['id', 'email', 'subscribed_at', 'confirmed_at']);
    } finally {
      await server?.cleanup();
    }
  }, 60_000);
});

describe('events: keyspace and tables in Job mode from apps/schema/events on a CassandraDatacenter', () => {
  test('the keyspace replicates in the datacenter the construct names; the runner applies it (stand-in cqlsh)', async () => {
    const { chart, dc } = eventsChart();
    new SchemaMigration(chart, 'events-schema', { target: dc, migrations: Migrations.fromDirectory(join(SCHEMA, 'events')) });
    const manifests = synthValid(chart);
    const r = renderedRunner(manifests);
    const datacenter = dc.connection.datacenter!;
    expect(r.data['0001_create_keyspace.cql']).toContain(`{'class': 'NetworkTopologyStrategy', '${datacenter}': 3}`);
    expect(r.data['0001_create_keyspace.cql']).not.toContain('${DATACENTER}');
    expect(r.job.spec.template.spec.containers[0].image).toBe(`cassandra:${dc.connection.majorVersion}`);
    const env = Object.fromEntries(r.env.map(e => [e.name, e.value ?? e.secret]));
    expect(env.CQLSH_HOST).toBe(dc.connection.host);
    expect(env.CQLSH_USER).toEqual({ name: dc.connection.adminSecret!.name, key: dc.connection.adminSecret!.usernameKey });
    expect(env.MIGRATION_KS_REPLICATION).toBe(`{'class': 'NetworkTopologyStrategy', '${datacenter}': 3}`);

    const dir = mkdtempSync(join(tmpdir(), 'mig-events-'));
    try {
      const secret = dc.connection.adminSecret!;
      // The stand-in cluster (peers disagree once after each change) and a stand-in sleep that records the runner's waits instead of taking them.
      const cql = await startFakeCql();
      const result = await runRunner(r, { [`${secret.name}/${secret.usernameKey}`]: 'admin', [`${secret.name}/${secret.passwordKey}`]: 'pw' }, {
        overrides: { ...cql.env(), FAKE_CQL_STATE: join(dir, 'state.json'), FAKE_CQL_LOG: join(dir, 'log'), FAKE_SLEEP_LOG: join(dir, 'sleeps'), PATH: `${join(__dirname, 'support', 'fake-sleep')}:${cql.env().PATH}` },
      }).finally(() => cql.close());
      if (result.code !== 0) throw new Error(result.stderr);
      const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
      expect(state.keyspaces.events).toBe(`{'class': 'NetworkTopologyStrategy', '${datacenter}': 3}`);
      expect(Object.keys(state.tables).sort()).toEqual(['events.events_by_stream', 'events.streams_by_type', 'schema_migrations.applied_migrations', 'schema_migrations.migration_lock']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
