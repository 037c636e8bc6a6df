/**
 * The PostgreSQL Job runner, exactly as rendered into the ConfigMap, run with the rendered env
 * against a real PostgreSQL server on loopback (Debian's postgresql, through the shared harness
 * test/support/postgres.ts: TLS on, scram-sha-256, so the rendered PGSSLMODE=require is exercised).
 */
import { SchemaMigration, Migrations, MigrationMode, MigrationFile } from '../../lib/migration';
import { sha256Hex } from '../../lib/migration/private/atlas-sum';
import { ValidationError } from '../../lib/core/errors';
import { synthValid, testChart } from '../support/synth';
import { FakeDatabase } from './support/fake-db';
import { expectOneAppliedTheOtherWaited, renderedRunner, runRunner as runAsRendered, RunOptions, RunResult, RenderedRunner, shortSleeps, startRunner as startAsRendered, until } from './support/runner';
import { openSession } from './support/session';
import { LocalPostgres, postgresSkipReason, startPostgres } from '../support/postgres';

const reason = postgresSkipReason();
if (reason) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED PostgreSQL runner tests: ${reason}`);
}
const describeIf = reason ? describe.skip : describe;
// Every run uses the stand-in sleep: the scripts' 1 s polls for their lock take a tenth of that.
const quick = (options: RunOptions) => ({ ...options, overrides: { ...shortSleeps(), ...options.overrides } });
const runRunner = (r: RenderedRunner, secrets: Record<string, string>, options: RunOptions = {}) => runAsRendered(r, secrets, quick(options));
const startRunner = (r: RenderedRunner, secrets: Record<string, string>, options: RunOptions = {}) => startAsRendered(r, secrets, quick(options));

const F1: MigrationFile = { name: '0001_create_customers.sql', content: 'CREATE TABLE customers (\n  id bigserial PRIMARY KEY,\n  email text NOT NULL UNIQUE\n);\n' };
const F2: MigrationFile = { name: '0002_create_orders.sql', content: 'CREATE TABLE orders (\n  id bigserial PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES customers (id),\n  total_cents bigint NOT NULL CHECK (total_cents >= 0)\n);\nCREATE INDEX orders_customer_idx ON orders (customer_id);\n' };
const F3: MigrationFile = { name: '0003_add_status.sql', content: "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';\n" };

describeIf('PostgreSQL runner against a real server', () => {
  let server: LocalPostgres;
  beforeAll(async () => { server = await startPostgres(); }, 60_000);
  afterAll(async () => { await server?.stop(); });
  beforeEach(() => {
    server.psql(`DROP DATABASE IF EXISTS ${server.database} WITH (FORCE)`, { superuser: true });
    server.psql(`CREATE DATABASE ${server.database} OWNER ${server.user}`, { superuser: true });
  });
  const admin = (sql: string) => server.psql(sql);

  const secrets = () => ({ 'app-credentials/username': server.user, 'app-credentials/password': server.password });

  function render(files: MigrationFile[], allowDestructiveChanges = false) {
    const chart = testChart('shop');
    const db = new FakeDatabase(chart, 'orders', 'postgresql', {
      host: server.host, port: server.port, database: server.database, tls: true,
      secret: { name: 'app-credentials', usernameKey: 'username', passwordKey: 'password' },
    });
    new SchemaMigration(chart, 'orders-migrate', { target: db, mode: MigrationMode.JOB, migrations: Migrations.fromFiles(files), allowDestructiveChanges });
    return renderedRunner(synthValid(chart));
  }
  const run = (files: MigrationFile[], options: Parameters<typeof runRunner>[2] & { allow?: boolean } = {}) =>
    runRunner(render(files, options.allow), secrets(), options);
  const applied = () => admin('SELECT version, name, checksum FROM schema_migration_history ORDER BY version').trim().split('\n').filter(Boolean);
  const ok = (r: RunResult) => { if (r.code !== 0) throw new Error(`runner failed (${r.code}):\n${r.stderr}`); return r; };

  test('applies a set (over TLS, as rendered), then a re-run is a no-op', async () => {
    expect(render([F1]).env.find(e => e.name === 'PGSSLMODE')?.value).toBe('require');
    ok(await run([F1, F2]));
    expect(applied()).toEqual([
      `0001|${F1.name}|${sha256Hex(F1.content)}`,
      `0002|${F2.name}|${sha256Hex(F2.content)}`,
    ]);
    expect(admin("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('customers', 'orders')").trim()).toBe('2');
    const before = admin('SELECT version, applied_at FROM schema_migration_history ORDER BY version');
    const again = ok(await run([F1, F2]));
    expect(again.stderr).toContain('0 pending migration(s)');
    expect(again.stderr).not.toContain('applying');
    expect(admin('SELECT version, applied_at FROM schema_migration_history ORDER BY version')).toBe(before);
  });

  test('a new file applies alone', async () => {
    ok(await run([F1, F2]));
    const r = ok(await run([F1, F2, F3]));
    expect(r.stderr.match(/applying \S+/g)).toEqual([`applying ${F3.name}`]);
    expect(applied()).toHaveLength(3);
    expect(admin("SELECT column_default FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'status'").trim()).toBe("'new'::text");
  });

  test('an applied file that changed is refused, and nothing else runs', async () => {
    ok(await run([F1, F2]));
    const edited = { ...F2, content: F2.content.replace('CHECK (total_cents >= 0)', 'CHECK (total_cents > 0)') };
    const r = await run([F1, edited, F3]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${F2.name} was applied with checksum ${sha256Hex(F2.content)} but the file now has checksum ${sha256Hex(edited.content)}`);
    expect(applied()).toHaveLength(2);
    expect(admin("SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'status'").trim()).toBe('0');
  });

  test('a destructive file is refused without the opt-in (naming file and line) and applied with it', async () => {
    ok(await run([F1, F2]));
    const drop: MigrationFile = { name: '0003_drop_index.sql', content: '-- the index is replaced below\nCREATE INDEX orders_total_idx ON orders (total_cents);\nDROP INDEX orders_customer_idx;\n' };
    // Synth time refuses it first.
    expect(() => render([F1, F2, drop])).toThrow(ValidationError);
    expect(() => render([F1, F2, drop])).toThrow(/0003_drop_index\.sql:3/);
    // The runner refuses it too: the file added to the mounted directory behind the synth check's back.
    const refused = await run([F1, F2], { extraFiles: { [drop.name]: drop.content } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`0003_drop_index.sql (checksum ${sha256Hex(drop.content)}) was not checked for destructive statements when the SchemaMigration was rendered`);
    expect(applied()).toHaveLength(2);
    expect(admin("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_total_idx'").trim()).toBe('0');
    // With allowDestructiveChanges the rendered env says so and the file applies.
    const allowed = render([F1, F2, drop], true);
    expect(allowed.env.find(e => e.name === 'ALLOW_DESTRUCTIVE')?.value).toBe('true');
    ok(await runRunner(allowed, secrets()));
    expect(applied()).toHaveLength(3);
    expect(admin("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_customer_idx'").trim()).toBe('0');
  });

  test.each([
    ['dynamic SQL in a DO block', "DO $$ BEGIN EXECUTE 'DR' || 'OP TABLE customers CASCADE'; END $$;\n", /DO block[\s\S]*"0003_sneaky\.sql:1"/],
    ['DELETE without WHERE', 'DELETE FROM customers;\n', /DELETE without WHERE[\s\S]*"0003_sneaky\.sql:1"/],
    ['a type change', 'ALTER TABLE orders ALTER COLUMN total_cents TYPE integer;\n', /type change[\s\S]*"0003_sneaky\.sql:1"/],
    ['a rename', 'ALTER TABLE orders RENAME TO purchases;\n', /rename[\s\S]*"0003_sneaky\.sql:1"/],
  ])('%s is refused at synth time and by the runner; nothing is lost', async (_name, content, message) => {
    ok(await run([F1, F2]));
    admin("INSERT INTO customers (email) VALUES ('a@example.com')");
    const sneaky: MigrationFile = { name: '0003_sneaky.sql', content };
    expect(() => render([F1, F2, sneaky])).toThrow(message);
    const refused = await run([F1, F2], { extraFiles: { [sneaky.name]: sneaky.content } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('0003_sneaky.sql (checksum');
    expect(applied()).toHaveLength(2);
    expect(admin("SELECT count(*) FROM customers").trim()).toBe('1');
    expect(admin("SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders'").trim()).toBe('1');
  });

  test('a failing file is rolled back and nothing is recorded', async () => {
    ok(await run([F1, F2]));
    const failing: MigrationFile = { name: '0003_broken.sql', content: 'CREATE TABLE refunds (id bigserial PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n' };
    const r = await run([F1, F2, failing]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('0003_broken.sql failed; its transaction was rolled back and nothing was recorded');
    expect(applied()).toHaveLength(2);
    expect(admin("SELECT count(*) FROM information_schema.tables WHERE table_name = 'refunds'").trim()).toBe('0');
  });

  // A psql session of the test's own, holding advisory locks until the test closes it.
  const session = (name: string) => openSession('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1'], { ...server.env, PGAPPNAME: name });
  const MIGRATION_LOCK = "hashtext('cdk8s-data:migrate:schema_migration_history')";
  const waitingForLocks = () => admin("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").trim();

  test('a lock session the server ends stops the run before the next file', async () => {
    // The first file waits for a lock the test holds, so the test ends the runner's lock session
    // while that file is in flight, however fast or slow the machine is.
    const gate = session('test-gate');
    await gate.send("SELECT 'gate-held' FROM pg_advisory_lock(hashtext('cdk8s-data:test:gate'));", 'gate-held');
    const first: MigrationFile = { name: '0001_gated.sql', content: "SELECT pg_advisory_xact_lock(hashtext('cdk8s-data:test:gate'));\nCREATE TABLE first (id int);\n" };
    const next: MigrationFile = { name: '0002_next.sql', content: 'CREATE TABLE second (id int);\n' };
    const running = startRunner(render([first, next]), secrets());
    try {
      await until('the first file waits for the gate', () => waitingForLocks() === '1');
      // The runner's lock session is the one other session holding an advisory lock.
      const terminated = server.psql("SELECT coalesce(bool_or(pg_terminate_backend(l.pid)), false) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        + "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name <> 'test-gate'", { superuser: true, database: server.database });
      expect(terminated).toBe('t');
    } finally {
      await gate.close();
    }
    const r = await running.done;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('lost the migration lock');
    expect(applied().map(l => l.split('|')[0])).toEqual(['0001']);
    expect(admin("SELECT count(*) FROM information_schema.tables WHERE table_name = 'second'").trim()).toBe('0');
  });

  test('two runners started while the lock is held: both wait, then one applies the set and the other finds nothing pending', async () => {
    const rendered = render([F1, F2, F3]);
    const holder = session('test-holder');
    await holder.send(`SELECT 'locked' FROM pg_advisory_lock(${MIGRATION_LOCK});`, 'locked');
    const a = startRunner(rendered, secrets());
    const b = startRunner(rendered, secrets());
    try {
      await until('both runners log that they wait', () => [a, b].every(r => r.stderr().includes('waiting for the migration lock')));
      // Both wait on the server, and neither has touched the database.
      expect(waitingForLocks()).toBe('2');
      expect(admin("SELECT to_regclass('schema_migration_history') IS NULL").trim()).toBe('t');
    } finally {
      await holder.close();
    }
    const results = await Promise.all([a.done, b.done]);
    results.forEach(ok);
    expectOneAppliedTheOtherWaited(results, 3);
    expect(applied()).toHaveLength(3);
  });
});
