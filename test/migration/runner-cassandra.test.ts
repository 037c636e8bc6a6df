/**
 * The Cassandra Job runner, exactly as rendered into the ConfigMap, run with the rendered env
 * against a stand-in `cqlsh` on the PATH (test/migration/support/fake-cql/cqlsh, a client of the
 * stand-in cluster this process serves). No Cassandra server runs in these tests: the stand-in
 * records statements and simulates schema agreement, the lightweight-transaction lock and the
 * tracking table. Tests of the runner's waiting loops (agreement, lock timeout) put a stand-in
 * `sleep` first on the PATH that records each wait and returns at once: the loops count their
 * waits, so what they decide is the same, without the wall time.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SchemaMigration, Migrations, MigrationFile } from '../../lib/migration';
import { sha256Hex } from '../../lib/migration/private/atlas-sum';
import { ValidationError } from '../../lib/core/errors';
import { synthValid, testChart } from '../support/synth';
import { FakeDatabase } from './support/fake-db';
import { startFakeCql, FakeCql } from './support/fake-cql/server';
import { expectOneAppliedTheOtherWaited, renderedRunner, runRunner, RunResult, startRunner, until } from './support/runner';

const FAKE_SLEEP = join(__dirname, 'support', 'fake-sleep');

const T1: MigrationFile = { name: '0001_create_events.cql', content: 'CREATE TABLE IF NOT EXISTS events.by_day (\n  day date,\n  ts timeuuid,\n  payload text,\n  PRIMARY KEY ((day), ts)\n) WITH CLUSTERING ORDER BY (ts DESC);\n\n// lookups by type\nCREATE TABLE IF NOT EXISTS events.by_type (\n  type text,\n  ts timeuuid,\n  PRIMARY KEY ((type), ts)\n);\n' };
const T2: MigrationFile = { name: '0002_add_source.cql', content: 'ALTER TABLE events.by_day ADD source text;\n' };

describe('Cassandra runner against a stand-in cqlsh', () => {
  let dir: string;
  let cql: FakeCql;
  beforeAll(async () => { cql = await startFakeCql(); });
  afterAll(async () => { await cql?.close(); });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mig-cql-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const secrets = { 'events-cassandra/username': 'migrator', 'events-cassandra/password': 'cql-secret' };
  function render(files: MigrationFile[], allowDestructiveChanges = false) {
    const chart = testChart('shop');
    const db = new FakeDatabase(chart, 'events', 'cassandra');
    new SchemaMigration(chart, 'events-schema', { target: db, migrations: Migrations.cassandraKeyspace('events', 3).concat(Migrations.fromFiles(files)), allowDestructiveChanges });
    return renderedRunner(synthValid(chart));
  }
  const env = (extra: Record<string, string> = {}) => ({
    ...cql.env(), FAKE_CQL_STATE: join(dir, 'state.json'), FAKE_CQL_LOG: join(dir, 'log'),
    // Peers agree at once unless a test asks for disagreement (each disagreeing poll costs the runner a 1 s wait).
    FAKE_CQL_USER: 'migrator', FAKE_CQL_PASSWORD: 'cql-secret', FAKE_CQL_DISAGREE_POLLS: '0', ...extra,
  });
  // The stand-in sleep first on the PATH: waits are recorded in `sleeps()` and take no time.
  const instantSleep = () => ({ PATH: `${FAKE_SLEEP}:${cql.env().PATH}`, FAKE_SLEEP_LOG: join(dir, 'sleeps') });
  const sleeps = () => existsSync(join(dir, 'sleeps')) ? readFileSync(join(dir, 'sleeps'), 'utf8').trim().split('\n') : [];
  const run = (files: MigrationFile[], extra: Record<string, string> = {}, allow = false, extraFiles?: Record<string, string>) =>
    runRunner(render(files, allow), secrets, { overrides: env(extra), extraFiles });
  const log = (): Array<{ stmt: string; kind: string }> => existsSync(join(dir, 'log'))
    ? readFileSync(join(dir, 'log'), 'utf8').trim().split('\n').map(l => JSON.parse(l)) : [];
  const state = () => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  const ok = (r: RunResult) => { if (r.code !== 0) throw new Error(`runner failed (${r.code}):\n${r.stderr}`); return r; };

  test('applies keyspace and tables in order, waiting for schema agreement after each statement', async () => {
    ok(await run([T1], { FAKE_CQL_DISAGREE_POLLS: '1', ...instantSleep() }));
    const entries = log();
    const ddl = entries.filter(e => e.kind === 'ddl').map(e => e.stmt);
    expect(ddl).toEqual([
      "CREATE KEYSPACE IF NOT EXISTS schema_migrations WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}",
      'CREATE TABLE IF NOT EXISTS schema_migrations.applied_migrations (version text PRIMARY KEY, name text, checksum text, applied_at timestamp)',
      'CREATE TABLE IF NOT EXISTS schema_migrations.migration_lock (id text PRIMARY KEY, owner text)',
      "CREATE KEYSPACE IF NOT EXISTS events WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}",
      'CREATE TABLE IF NOT EXISTS events.by_day ( day date, ts timeuuid, payload text, PRIMARY KEY ((day), ts) ) WITH CLUSTERING ORDER BY (ts DESC)',
      'CREATE TABLE IF NOT EXISTS events.by_type ( type text, ts timeuuid, PRIMARY KEY ((type), ts) )',
    ]);
    // After every schema change, the runner polled the schema versions before doing anything else.
    entries.forEach((e, i) => {
      if (e.kind === 'ddl') expect(entries[i + 1]?.kind).toBe('agreement');
    });
    // It kept polling until the stand-in's peers agreed (one disagreeing poll per change by default).
    expect(entries.filter(e => e.kind === 'agreement').length).toBeGreaterThanOrEqual(2 * ddl.length);
    // One 1 s wait between the disagreeing poll and the next, per change.
    expect(sleeps()).toEqual(ddl.map(() => '1'));
    const rows = state().rows['schema_migrations.applied_migrations'];
    expect(Object.keys(rows)).toEqual(['0000', '0001']);
    expect(rows['0001'].checksum).toBe(sha256Hex(T1.content));
    expect(state().lock).toBeNull();
  }, 60_000);

  test('a re-run is a no-op; a new file applies alone', async () => {
    ok(await run([T1]));
    const before = log().length;
    const again = ok(await run([T1]));
    expect(again.stderr).toContain('0 pending migration(s)');
    expect(log().slice(before).filter(e => e.kind === 'ddl' && e.stmt.startsWith('CREATE TABLE IF NOT EXISTS events'))).toHaveLength(0);
    const third = ok(await run([T1, T2]));
    expect(third.stderr.match(/applying \S+/g)).toEqual([`applying ${T2.name}`]);
    expect(Object.keys(state().rows['schema_migrations.applied_migrations'])).toEqual(['0000', '0001', '0002']);
  }, 60_000);

  test('a changed file is refused', async () => {
    ok(await run([T1]));
    const r = await run([{ ...T1, content: T1.content.replace('payload text', 'payload blob') }]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${T1.name} was applied with checksum ${sha256Hex(T1.content)}`);
  }, 60_000);

  test('a destructive file is refused without the opt-in and applied with it', async () => {
    ok(await run([T1]));
    const drop: MigrationFile = { name: '0002_drop_by_type.cql', content: '-- replaced by a materialized view\nDROP TABLE events.by_type;\n' };
    expect(() => render([T1, drop])).toThrow(ValidationError);
    const refused = await run([T1], {}, false, { [drop.name]: drop.content });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/0002_drop_by_type\.cql \(checksum [0-9a-f]{64}\) was not checked for destructive statements/);
    expect(log().some(e => e.stmt.startsWith('DROP'))).toBe(false);
    ok(await run([T1, drop], {}, true));
    expect(log().filter(e => e.stmt.startsWith('DROP'))).toEqual([{ stmt: 'DROP TABLE events.by_type', kind: 'ddl', user: 'migrator', pid: expect.any(Number) }]);
  }, 60_000);

  test('a failing statement stops the run, names file and line, and records nothing', async () => {
    const r = await run([T1], { FAKE_CQL_FAIL: 'by_type' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('0001_create_events.cql:9: statement 2 of 2 failed');
    expect(Object.keys(state().rows['schema_migrations.applied_migrations'] ?? {})).toEqual(['0000']);
    expect(state().lock).toBeNull();
  }, 60_000);

  test('no schema agreement within the timeout fails the run', async () => {
    const r = await run([T1], { FAKE_CQL_DISAGREE_POLLS: '1000', AGREEMENT_TIMEOUT_SECONDS: '2', ...instantSleep() });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no schema agreement after 2 s');
    expect(sleeps()).toEqual(['1', '1']);
  }, 60_000);

  describe('the login reaches cqlsh through a 0600 credentials file, never its command line', () => {
    const calls = (): Array<{ argv: string[]; login: string; user: string; passwordInEnv: boolean }> => existsSync(join(dir, 'calls'))
      ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n').map(l => JSON.parse(l)) : [];
    const runAs = (username: string, password: string) => runRunner(render([]),
      { 'events-cassandra/username': username, 'events-cassandra/password': password },
      { overrides: env({ FAKE_CQL_USER: username, FAKE_CQL_PASSWORD: password, FAKE_CQL_CALLS: join(dir, 'calls') }) });

    test.each([
      ['plain', 'migrator', 'cql-secret'],
      ['quotes', `o'brien "ops"`, `pa'ss"wo''rd`],
      ['inner spaces', 'schema migrator', 'correct horse battery staple'],
      ['command substitution', '$(touch pwned-user)', '$(touch pwned)`touch pwned2`'],
      ['shell and INI metacharacters', 'user;rm -rf /', 'p=w:[x]#;&|<>*?\\%s${HOME}'],
      ['a leading option-like dash', '-u', '-p'],
    ])('%s: logs in with the exact values, no argv holds the password', async (_label, username, password) => {
      ok(await runAs(username, password));
      const seen = calls();
      expect(seen.length).toBeGreaterThan(5);
      for (const call of seen) {
        expect(call.login).toBe('credentials');
        expect(call.user).toBe(username);
        expect(call.argv.join(' ')).not.toContain(password);
        expect(call.argv).not.toContain('-p');
        expect(call.passwordInEnv).toBe(false);
      }
      // The file lived in the runner's own work directory, which it removes on exit.
      const file = seen[0].argv.find(a => a.startsWith('--credentials='))!.slice('--credentials='.length);
      expect(existsSync(file)).toBe(false);
      // Nothing in the values ran (the runner starts in the working directory of the test).
      for (const f of ['pwned', 'pwned2', 'pwned-user']) expect(existsSync(join(process.cwd(), f))).toBe(false);
      expect(Object.keys(state().rows['schema_migrations.applied_migrations'])).toEqual(['0000']);
    }, 60_000);

    test.each([
      ['a line break in the password', 'migrator', 'pass\nusername = cassandra', 'the password (CQLSH_PASSWORD)'],
      ['a carriage return in the password', 'migrator', 'pass\rword', 'the password (CQLSH_PASSWORD)'],
      ['a leading blank in the password', 'migrator', ' password', 'the password (CQLSH_PASSWORD)'],
      ['a trailing blank in the user name', 'migrator ', 'password', 'the user name (CQLSH_USER)'],
      ['a line break in the user name', 'migrator\npassword = x', 'password', 'the user name (CQLSH_USER)'],
      ['a tab in the password', 'migrator', 'pass\tword', 'the password (CQLSH_PASSWORD)'],
    ])('%s is refused before any connection', async (_label, username, password, what) => {
      const r = await runAs(username, password);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`${what} must not contain line breaks (nor other control characters) nor start or end with blank space`);
      expect(calls()).toEqual([]);
    }, 60_000);

    test('the file cqlsh reads is the owner\'s alone: a readable one would be ignored and the login fail', async () => {
      // The stand-in refuses a credentials file others may read, as cqlsh does; the run passing
      // above shows the runner's file is 0600. Here the check itself is shown to bite.
      const script = render([T1]);
      const loose = { ...script, data: { ...script.data, 'migrate.sh': script.script.replace('umask 077 &&', 'umask 022 &&').replace('&& chmod 600 "$1"', '') } };
      const r = await runRunner(loose, secrets, { overrides: env({ FAKE_CQL_CALLS: join(dir, 'calls'), CONNECT_RETRIES: '1' }) });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('is not used, because the file owner is not the current user or it is readable by group or other');
      expect(calls()[0].login).toBe('none');
    }, 60_000);
  });

  test('two runners started while another owner holds the lock row: both wait, then one applies the set and the other finds nothing pending', async () => {
    const rendered = render([T1, T2]);
    const initial = { keyspaces: {}, tables: {}, rows: {}, disagree: 0, schemaVersion: 1 };
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ ...initial, lock: { owner: 'other-pod-1', expires: Date.now() + 600_000 } }));
    const a = startRunner(rendered, secrets, { overrides: env() });
    const b = startRunner(rendered, secrets, { overrides: env() });
    await until('both runners log that they wait', () => [a, b].every(r => r.stderr().includes('waiting for the migration lock')));
    // Neither has applied or recorded anything; the lock row is still the other owner's.
    expect(log().filter(e => e.kind === 'track' || e.stmt.includes(' events'))).toEqual([]);
    expect(state().lock.owner).toBe('other-pod-1');
    // The other owner lets go (the stand-in handles calls one at a time in this process, so this edit lands between two of them).
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ ...state(), lock: null }));
    const results = await Promise.all([a.done, b.done]);
    results.forEach(ok);
    expectOneAppliedTheOtherWaited(results, 3);
    expect(log().filter(e => e.stmt.startsWith('CREATE TABLE IF NOT EXISTS events.by_day'))).toHaveLength(1);
    expect(state().lock).toBeNull();
  }, 60_000);

  test('a lock row held by another owner makes the runner wait, then give up', async () => {
    ok(await run([T1]));
    const s = state();
    s.lock = { owner: 'other-pod-1', expires: Date.now() + 600_000 };
    writeFileSync(join(dir, 'state.json'), JSON.stringify(s));
    const r = await run([T1, T2], { LOCK_WAIT_SECONDS: '2', ...instantSleep() });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('another migration has held the lock for 2 s');
    expect(sleeps()).toEqual(['1', '1']);
    expect(state().lock.owner).toBe('other-pod-1');
  }, 60_000);
});
