import { join } from 'path';
import { Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ValidationError } from '../../lib/core/errors';
import { DatabaseEngine } from '../../lib/core/connection';
import { NetworkPeer } from '../../lib/core/network';
import { SchemaMigration, SchemaMigrationProps, Schema, Migrations, MigrationMode, MigrationFile } from '../../lib/migration';
import { atlasSum } from '../../lib/migration/private/atlas-sum';
import { findDestructive } from '../../lib/migration/private/destructive';
import { schemaMigrationCase } from '../support/arbitraries/schema-migration';
import { findObject, synthValid, testChart, validationErrorOf } from '../support/synth';
import { EngineName, FakeDatabase } from './support/fake-db';

const INIT: MigrationFile = { name: '0001_init.sql', content: 'CREATE TABLE customers (id bigint PRIMARY KEY);\n' };
const MORE: MigrationFile = { name: '0002_orders.sql', content: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);\n' };
const CQL: MigrationFile = { name: '0001_tables.cql', content: 'CREATE TABLE IF NOT EXISTS events.e (id uuid PRIMARY KEY);\n' };

function synth(engine: EngineName, props: Partial<SchemaMigrationProps>, overrides = {}) {
  const chart = testChart('shop');
  const db = new FakeDatabase(chart, 'db', engine, overrides);
  const migration = new SchemaMigration(chart, 'migrate', { target: db, ...props } as SchemaMigrationProps);
  return { manifests: synthValid(chart), migration, db };
}

describe('defaults', () => {
  test.each([
    ['postgresql AtlasSchema (inline)', 'postgresql', { schema: Schema.inline('CREATE TABLE t (id int PRIMARY KEY);') }],
    ['mysql AtlasMigration', 'mysql', { migrations: Migrations.fromFiles([INIT, MORE]) }],
    ['postgresql Job', 'postgresql', { mode: MigrationMode.JOB, migrations: Migrations.fromFiles([INIT]) }],
    ['cassandra Job', 'cassandra', { migrations: Migrations.cassandraKeyspace('events', 3).concat(Migrations.fromFiles([CQL])) }],
  ] as const)('%s snapshot', (_label, engine, props) => {
    expect(synth(engine, props as any).manifests).toMatchSnapshot();
  });
});

describe('Atlas mode', () => {
  test('AtlasSchema: credentials from the target, destructive changes refused, dev database pinned', () => {
    const { manifests, migration } = synth('postgresql', { schema: Schema.inline('CREATE TABLE t (id int);'), schemas: ['public'], exclude: ['audit_*'] });
    expect(migration.mode).toBe(MigrationMode.ATLAS);
    const s = findObject(manifests, 'AtlasSchema', 'migrate');
    expect(s.metadata.namespace).toBe('shop');
    expect(s.spec.credentials).toEqual({
      scheme: 'postgres', host: 'orders-rw.shop.svc', port: 5432, database: 'orders',
      userFrom: { secretKeyRef: { name: 'orders-app', key: 'username' } },
      passwordFrom: { secretKeyRef: { name: 'orders-app', key: 'password' } },
      parameters: { sslmode: 'require' },
    });
    expect(s.spec.policy).toEqual({
      lint: { destructive: { error: true } },
      diff: { skip: { drop_schema: true, drop_table: true, drop_column: true, drop_index: true, drop_foreign_key: true } },
    });
    expect(s.spec.schema).toEqual({ sql: 'CREATE TABLE t (id int);' });
    expect(s.spec.schemas).toEqual(['public']);
    expect(s.spec.exclude).toEqual(['audit_*']);
    expect(s.spec.devURL).toBe('postgres://postgres@localhost:5432/postgres?sslmode=disable');
    const dev = s.spec.devDB.spec.containers[0];
    expect(dev.image).toBe('postgres:17');
    expect(dev.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(JSON.stringify(s)).not.toMatch(/latest/);
  });

  test('TLS off gives sslmode=disable; MySQL gets the mysql scheme and a pinned mysql dev database', () => {
    const pg = findObject(synth('postgresql', { schema: Schema.inline('CREATE TABLE t (id int);') }, { tls: false }).manifests, 'AtlasSchema');
    expect(pg.spec.credentials.parameters).toEqual({ sslmode: 'disable' });
    const my = findObject(synth('mysql', { schema: Schema.inline('CREATE TABLE t (id int);') }).manifests, 'AtlasSchema');
    expect(my.spec.credentials).toMatchObject({ scheme: 'mysql', host: 'blog.shop.svc', port: 3306, database: 'blog' });
    expect(my.spec.credentials.parameters).toBeUndefined();
    expect(my.spec.devDB.spec.containers[0].image).toBe('mysql:8.4');
    expect(my.spec.devURL).toBe('mysql://root@localhost:3306/dev');
  });

  test('allowDestructiveChanges turns the lint error and the drop skips off', () => {
    const s = findObject(synth('postgresql', { schema: Schema.inline('CREATE TABLE t (id int);'), allowDestructiveChanges: true }).manifests, 'AtlasSchema');
    expect(s.spec.policy.lint.destructive.error).toBe(false);
    expect(Object.values(s.spec.policy.diff.skip).every(v => v === false)).toBe(true);
  });

  test('schema from a file is rendered into a ConfigMap; from an existing ConfigMap is referenced', () => {
    const fromFile = synth('postgresql', { schema: Schema.fromFile(join(__dirname, '..', '..', 'apps', 'schema', 'orders.sql')) }).manifests;
    expect(findObject(fromFile, 'AtlasSchema').spec.schema).toEqual({ configMapKeyRef: { name: 'migrate-schema', key: 'schema.sql' } });
    expect(findObject(fromFile, 'ConfigMap', 'migrate-schema').data['schema.sql']).toContain('CREATE TABLE orders');
    const existing = synth('postgresql', { schema: Schema.fromConfigMap('orders-ddl', 'schema.sql') }).manifests;
    expect(findObject(existing, 'AtlasSchema').spec.schema).toEqual({ configMapKeyRef: { name: 'orders-ddl', key: 'schema.sql' } });
    expect(existing.filter(m => m.kind === 'ConfigMap')).toHaveLength(0);
  });

  test('AtlasMigration: the directory ConfigMap holds the files and the computed atlas.sum', () => {
    const { manifests } = synth('postgresql', { migrations: Migrations.fromFiles([INIT, MORE]) });
    const m = findObject(manifests, 'AtlasMigration', 'migrate');
    expect(m.spec.dir).toEqual({ configMapRef: { name: 'migrate-migrations' } });
    expect(m.spec.devDB.spec.containers[0].image).toBe('postgres:17');
    const cm = findObject(manifests, 'ConfigMap', 'migrate-migrations');
    expect(cm.data).toEqual({ [INIT.name]: INIT.content, [MORE.name]: MORE.content, 'atlas.sum': atlasSum([INIT, MORE]) });
    // A matching atlas.sum passes.
    expect(() => synth('postgresql', { migrations: Migrations.fromFiles([INIT, MORE], atlasSum([INIT, MORE])) })).not.toThrow();
  });

  test('the Atlas Operator is admitted by the target; another peer can be given; allowAtlasOperator: false admits nothing', () => {
    const schema = Schema.inline('CREATE TABLE t (id int);');
    const on = synth('postgresql', { schema });
    expect(on.db.clients).toHaveLength(1);
    expect(findObject(on.manifests, 'NetworkPolicy').spec.ingress).toEqual([{
      from: [{
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'atlas-operator' } },
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'atlas-operator' } },
      }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    }]);
    const custom = synth('postgresql', { schema, atlasOperator: NetworkPeer.fromPodLabels({ app: 'atlas' }, 'platform') });
    expect(findObject(custom.manifests, 'NetworkPolicy').spec.ingress[0].from).toEqual([{
      podSelector: { matchLabels: { app: 'atlas' } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'platform' } },
    }]);
    const off = synth('postgresql', { schema, allowAtlasOperator: false });
    expect(off.db.clients).toEqual([]);
    expect(findObject(off.manifests, 'NetworkPolicy').spec.ingress).toEqual([]);
  });

  test('ordered after its database: a construct dependency in the same chart, acknowledgements on the resource', () => {
    const { migration, db, manifests } = synth('postgresql', { schema: Schema.inline('CREATE TABLE t (id int);'), acknowledge: ['destructive-schema-allowed'] });
    expect(migration.node.dependencies).toContain(db);
    expect(manifests.findIndex(m => m.kind === 'NetworkPolicy')).toBeLessThan(manifests.findIndex(m => m.kind === 'AtlasSchema'));
    expect(findObject(manifests, 'AtlasSchema').metadata.annotations).toEqual({ 'data.cdk8s.io/acknowledge': 'destructive-schema-allowed' });
  });
});

describe('Job mode', () => {
  test('a bounded, hardened Job with credentials from the target Secret', () => {
    const { manifests, migration } = synth('postgresql', { mode: MigrationMode.JOB, migrations: Migrations.fromFiles([INIT, MORE]) });
    const job = findObject(manifests, 'Job');
    expect(job.metadata.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(migration.resourceName).toBe(job.metadata.name);
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 900, ttlSecondsAfterFinished: 86400 });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('migrate');
    expect(findObject(manifests, 'ServiceAccount', 'migrate').automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } });
    const c = pod.containers[0];
    expect(c.image).toBe('postgres:17');
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.command).toEqual(['sh', '/migrations/migrate.sh']);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      PGHOST: 'orders-rw.shop.svc', PGPORT: '5432', PGDATABASE: 'orders', PGSSLMODE: 'require', ALLOW_DESTRUCTIVE: 'false',
      PGUSER: { secretKeyRef: { name: 'orders-app', key: 'username' } },
      PGPASSWORD: { secretKeyRef: { name: 'orders-app', key: 'password' } },
    });
    const cm = findObject(manifests, 'ConfigMap', job.metadata.name);
    expect(Object.keys(cm.data).sort()).toEqual([INIT.name, MORE.name, 'migrate.sh']);
    expect(pod.volumes).toContainEqual({ name: 'migrations', configMap: { name: cm.metadata.name, defaultMode: 0o444 } });
  });

  test('every object lands in the target\'s namespace, also when the chart has another one', () => {
    const chart = testChart('apps');
    const db = new FakeDatabase(chart, 'db', 'postgresql', {}, 'shop');
    new SchemaMigration(chart, 'migrate', { target: db, mode: MigrationMode.JOB, migrations: Migrations.fromFiles([INIT]) });
    const manifests = synthValid(chart).filter(m => m.kind !== 'NetworkPolicy');
    expect(manifests.map(m => m.kind).sort()).toEqual(['ConfigMap', 'Job', 'ServiceAccount']);
    for (const m of manifests) expect(m.metadata.namespace).toBe('shop');
  });

  test('the Job name hash follows the content: same files, same name; a new file, a new Job', () => {
    const name = (files: MigrationFile[], extra: Partial<SchemaMigrationProps> = {}) =>
      findObject(synth('postgresql', { mode: MigrationMode.JOB, migrations: Migrations.fromFiles(files), ...extra }).manifests, 'Job').metadata.name;
    expect(name([INIT])).toBe(name([INIT]));
    expect(name([INIT, MORE])).not.toBe(name([INIT]));
    expect(name([INIT], { allowDestructiveChanges: true })).not.toBe(name([INIT]));
  });

  test('bounds, resources and images can be set', () => {
    const { manifests } = synth('mysql', {
      mode: MigrationMode.JOB, migrations: Migrations.fromFiles([INIT]), retries: 0, timeout: Duration.minutes(30),
      keepFinishedJobsFor: Duration.hours(2), resources: { cpu: '250m', memory: '512Mi', cpuLimit: '1' }, image: 'mysql:8.4.6', trackingTable: 'blog_migrations',
    });
    const job = findObject(manifests, 'Job');
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: 7200 });
    const c = job.spec.template.spec.containers[0];
    expect(c.image).toBe('mysql:8.4.6');
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(c.env).toContainEqual({ name: 'TRACKING_TABLE', value: 'blog_migrations' });
  });

  test('Cassandra: ${DATACENTER} rendered from the target, tracking keyspace replicated there', () => {
    const { manifests } = synth('cassandra', { migrations: Migrations.cassandraKeyspace('events', 3), trackingReplicationFactor: 5 });
    const job = findObject(manifests, 'Job');
    const cm = findObject(manifests, 'ConfigMap', job.metadata.name);
    expect(cm.data['0000_create_keyspace_events.cql']).toContain("{'class': 'NetworkTopologyStrategy', 'dc1': 3}");
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.MIGRATION_KS_REPLICATION).toBe("{'class': 'NetworkTopologyStrategy', 'dc1': 5}");
    expect(job.spec.template.spec.containers[0].image).toBe('cassandra:5.0');
  });

  test('the target admits the Job pod; sync waves go on every object', () => {
    const { manifests, db } = synth('mysql', { mode: MigrationMode.JOB, migrations: Migrations.fromFiles([INIT]), argoSyncWave: 3 });
    const job = findObject(manifests, 'Job');
    const policy = findObject(manifests, 'NetworkPolicy', 'db');
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: job.spec.template.metadata.labels } }], ports: [{ protocol: 'TCP', port: 3306 }] }]);
    expect(db.clients).toHaveLength(1);
    for (const m of manifests.filter(x => !(x.kind === 'NetworkPolicy' && x.metadata.name === 'db'))) expect(m.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('3');
  });
});

describe('credentials: connection.secret (the application user), else connection.adminSecret', () => {
  const ADMIN = { name: 'events-superuser', usernameKey: 'user', passwordKey: 'pass' };
  const env = (manifests: any[]) => Object.fromEntries(findObject(manifests, 'Job').spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  test('the application user wins over the administrative user', () => {
    const { manifests } = synth('postgresql', { mode: MigrationMode.JOB, migrations: Migrations.fromFiles([INIT]) }, { adminSecret: ADMIN });
    expect(env(manifests).PGUSER).toEqual({ secretKeyRef: { name: 'orders-app', key: 'username' } });
    const atlas = synth('mysql', { migrations: Migrations.fromFiles([INIT]) }, { adminSecret: ADMIN }).manifests;
    expect(findObject(atlas, 'AtlasMigration').spec.credentials.userFrom).toEqual({ secretKeyRef: { name: 'blog-app', key: 'username' } });
  });

  test.each([
    ['cassandra', 'CQLSH_USER', 'CQLSH_PASSWORD', Migrations.fromFiles([CQL])],
    ['postgresql', 'PGUSER', 'PGPASSWORD', Migrations.fromFiles([INIT])],
  ] as const)('%s: the administrative user when the target declares no application user', (engine, user, password, migrations) => {
    const { manifests } = synth(engine, { mode: MigrationMode.JOB, migrations }, { secret: undefined, adminSecret: ADMIN });
    expect(env(manifests)).toMatchObject({
      [user]: { secretKeyRef: { name: 'events-superuser', key: 'user' } },
      [password]: { secretKeyRef: { name: 'events-superuser', key: 'pass' } },
    });
  });

  test('Cassandra without either connects anonymously; the enum engine works like its string', () => {
    const { manifests } = synth('cassandra', { migrations: Migrations.fromFiles([CQL]) }, { secret: undefined, engine: DatabaseEngine.CASSANDRA });
    expect(Object.keys(env(manifests))).not.toContain('CQLSH_USER');
  });
});

describe('destructive statement detection', () => {
  // The full table is in destructive.test.ts; these rows pin what the old keyword rule got wrong.
  test.each([
    ['DROP TABLE t;', 1],
    ['ALTER TABLE t\n  DROP COLUMN c;', 1],
    ['truncate t;', 1],
    ['-- we never drop\nCREATE TABLE t (id int);', undefined],
    ['CREATE TABLE t (dropped_at timestamptz, drop_reason text);', undefined],
    ["INSERT INTO notes VALUES ('please drop by');", undefined],
  ])('%j → line %s', (sql, line) => {
    expect(findDestructive(sql, DatabaseEngine.POSTGRESQL)?.line).toBe(line);
  });
});

describe('bad input', () => {
  const pg = (props: Partial<SchemaMigrationProps>, overrides: any = {}, engine: any = 'postgresql') => () => {
    const chart = testChart('shop');
    const db = new FakeDatabase(chart, 'db', engine, overrides);
    new SchemaMigration(chart, 'migrate', { target: db, ...props } as SchemaMigrationProps);
  };
  const files = (...names: string[]) => Migrations.fromFiles(names.map(name => ({ name, content: 'CREATE TABLE x (id int);\n' })));
  const rows: Array<[string, () => void, string[], RegExp?]> = [
    ['no schema and no migrations', pg({}), ['schema']],
    ['schema and migrations at once', pg({ schema: Schema.inline('CREATE TABLE t (id int);'), migrations: files('0001_a.sql') }), ['migrations']],
    ['target without credentials', pg({ schema: Schema.inline('CREATE TABLE t (id int);') }, { secret: undefined }), ['target'], /no credentials Secret \(neither connection\.secret nor connection\.adminSecret/],
    ['MySQL target without credentials in Job mode', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql') }, { secret: undefined, adminSecret: undefined }, 'mysql'), ['target'], /no credentials Secret/],
    ['target without a database', pg({ migrations: files('0001_a.sql') }, { database: undefined }, 'mysql'), ['target']],
    ['Cassandra target in Atlas mode', pg({ mode: MigrationMode.ATLAS, migrations: Migrations.fromFiles([CQL]) }, {}, 'cassandra'), ['mode'], /Atlas does not support Cassandra/],
    ['declarative schema for Cassandra', pg({ schema: Schema.inline('CREATE TABLE t (id int);') }, {}, 'cassandra'), ['schema']],
    ['declarative schema in Job mode', pg({ mode: MigrationMode.JOB, schema: Schema.inline('CREATE TABLE t (id int);') }), ['schema']],
    ['unsorted versions', pg({ migrations: files('0002_b.sql', '0001_a.sql') }), ['migrations'], /lower version/],
    ['duplicate versions', pg({ migrations: files('0001_a.sql', '0001_b.sql') }), ['migrations'], /same version/],
    ['numerically equal versions', pg({ migrations: files('1_a.sql', '0001_b.sql') }), ['migrations'], /same version/],
    ['versions that sort differently as text', pg({ migrations: files('2_a.sql', '10_b.sql') }), ['migrations'], /pad versions/],
    ['unversioned file name', pg({ migrations: files('init.sql') }), ['migrations']],
    ['.cql file for PostgreSQL', pg({ migrations: Migrations.fromFiles([CQL]) }), ['migrations']],
    ['destructive statement without the opt-in', pg({ migrations: Migrations.fromFiles([INIT, { name: '0002_drop.sql', content: 'SELECT 1;\nDROP TABLE customers;\n' }]) }), ['migrations'], /0002_drop\.sql:2/],
    ['transaction control in a PostgreSQL Job file', pg({ mode: MigrationMode.JOB, migrations: Migrations.fromFiles([{ name: '0001_a.sql', content: 'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n' }]) }), ['migrations']],
    ['empty file', pg({ migrations: Migrations.fromFiles([{ name: '0001_a.sql', content: '  \n' }]) }), ['migrations']],
    ['atlas.sum that does not match', pg({ migrations: Migrations.fromFiles([INIT, MORE], atlasSum([INIT])) }), ['migrations'], /atlas\.sum/],
    ['missing migration directory', pg({ migrations: Migrations.fromDirectory('/nonexistent/migrations') }), ['migrations'], /does not exist/],
    ['empty inline schema', pg({ schema: Schema.inline('  ') }), ['schema']],
    ['inline schema that is not a string', pg({ schema: Schema.inline(42 as any) }), ['schema']],
    ['missing schema file', pg({ schema: Schema.fromFile('/nonexistent/schema.sql') }), ['schema']],
    ['${DATACENTER} without a datacenter', pg({ migrations: Migrations.cassandraKeyspace('events', 3) }, { datacenter: undefined }, 'cassandra'), ['migrations', 'target']],
    ['two CQL statements on one line', pg({ migrations: Migrations.fromFiles([{ name: '0001_a.cql', content: 'CREATE TABLE IF NOT EXISTS k.a (id int PRIMARY KEY); CREATE TABLE IF NOT EXISTS k.b (id int PRIMARY KEY);\n' }]) }, {}, 'cassandra'), ['migrations'], /0001_a\.cql:1/],
    ['invalid keyspace helper input', pg({ migrations: Migrations.cassandraKeyspace('1bad-name', 0) }, {}, 'cassandra'), ['migrations', 'migrations'], /keyspace name[\s\S]*replication factor/],
    ['namespace other than the target\'s', pg({ schema: Schema.inline('CREATE TABLE t (id int);'), namespace: 'other' }), ['namespace']],
    ['schemas with versioned migrations', pg({ migrations: files('0001_a.sql'), schemas: ['public'] }), ['schemas']],
    ['client image on latest', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), image: 'postgres:latest' }), ['image']],
    ['dev database image without a tag', pg({ schema: Schema.inline('CREATE TABLE t (id int);'), devDatabaseImage: 'postgres' }), ['devDatabaseImage']],
    ['tracking table that is not an identifier', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), trackingTable: 'x; DROP' }), ['trackingTable']],
    ['name too long for the Job hash', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), name: 'a'.repeat(55) }), ['name']],
    ['invalid name', pg({ schema: Schema.inline('CREATE TABLE t (id int);'), name: 'Orders_Schema' }), ['name']],
    ['negative retries and short timeout', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), retries: -1, timeout: Duration.seconds(5) }), ['retries', 'timeout']],
    ['too many retries and too long a timeout', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), retries: 21, timeout: Duration.days(8) }), ['retries', 'timeout']],
    ['fractional timeout and keep', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), timeout: Duration.millis(90_500), keepFinishedJobsFor: Duration.millis(1) }), ['timeout', 'keepFinishedJobsFor']],
    ['keeping finished Jobs too long', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), keepFinishedJobsFor: Duration.days(31) }), ['keepFinishedJobsFor']],
    ['timeout that is not a Duration', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), timeout: 900 as any }), ['timeout']],
    ['bad resources', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), resources: { memory: '1GB' } }), ['resources.memory']],
    ['bad CPU limit', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), resources: { cpuLimit: 'lots' } }), ['resources.cpuLimit']],
    ['unknown mode', pg({ mode: 'flyway' as any, migrations: files('0001_a.sql') }), ['mode'], /"atlas", "job"/],
    ['Atlas Operator given as a plain object', pg({ schema: Schema.inline('CREATE TABLE t (id int);'), atlasOperator: { podLabels: { app: 'atlas' } } as any }), ['atlasOperator'], /NetworkPeer/],
    ['Atlas Operator with bad labels', pg({ schema: Schema.inline('CREATE TABLE t (id int);'), atlasOperator: NetworkPeer.fromPodLabels({ 'bad key!': 'x' }) }), ['atlasOperator.labels']],
    ['Atlas Operator peer and allowAtlasOperator: false', pg({ schema: Schema.inline('CREATE TABLE t (id int);'), atlasOperator: NetworkPeer.fromPodLabels({ app: 'atlas' }), allowAtlasOperator: false }), ['allowAtlasOperator']],
    ['Atlas Operator settings in Job mode', pg({ mode: MigrationMode.JOB, migrations: files('0001_a.sql'), allowAtlasOperator: false }), ['allowAtlasOperator'], /only to Atlas mode/],
    ['acknowledged id that is not a finding id', pg({ schema: Schema.inline('CREATE TABLE t (id int);'), acknowledge: ['pdb', 'Not An Id'] }), ['acknowledge[1]']],
    ['argoSyncWave that is not a whole number', pg({ schema: Schema.inline('CREATE TABLE t (id int);'), argoSyncWave: 1.5 }), ['argoSyncWave']],
  ];
  test.each(rows.map(([label, build, fields, message]) => ({ label, build, fields, message })))('$label', ({ build, fields, message }) => {
    const error = validationErrorOf(build);
    expect(error.fields).toEqual(fields);
    if (message) expect(error.message).toMatch(message);
  });

  test('all problems of one migration are reported together, naming the construct path', () => {
    expect(pg({ mode: MigrationMode.JOB, migrations: files('0002_b.sql', '0001_a.sql'), image: 'postgres', retries: 99 })).toThrow(/Invalid SchemaMigration at 'test\/migrate'[\s\S]*migrations[\s\S]*image[\s\S]*retries/);
  });
});

/** Fixed so the property's runs (and the count of synthesized sets) do not change between machines or runs. */
const PROPERTY_SEED = 1600;

describe('property: any props either fail validation or synthesize to verified manifests', () => {
  test('1000 runs', () => {
    let synthesized = 0;
    fc.assert(fc.property(schemaMigrationCase, ({ engine, props }) => {
      const chart = testChart('shop');
      const db = new FakeDatabase(chart, 'db', engine);
      try {
        new SchemaMigration(chart, 'm', { target: db, ...props });
      } catch (e) {
        if (e instanceof ValidationError) return;
        throw e;
      }
      synthValid(chart);
      synthesized++;
    }), { numRuns: 1000, seed: PROPERTY_SEED });
    // With a fixed seed the runs are the same on every machine, so this count is exact, not a chance:
    // the generators reach valid props often enough for the property to mean something.
    expect(synthesized).toBeGreaterThan(50);
  });
});

test('synthesis does not depend on the construct path (names come from the name prop)', () => {
  const render = (wrap: boolean) => {
    const chart = testChart('shop');
    const scope = wrap ? new (require('constructs').Construct)(chart, 'Wrapper') : chart;
    const db = new FakeDatabase(chart, 'db', 'postgresql');
    new SchemaMigration(scope, 'migrate', { target: db, mode: MigrationMode.JOB, migrations: Migrations.fromFiles([INIT]) });
    return Testing.synth(chart).map(m => `${m.kind}/${m.metadata.name}`);
  };
  expect(render(true)).toEqual(render(false));
});
