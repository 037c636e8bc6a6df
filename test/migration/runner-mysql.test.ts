/**
 * The MySQL Job runner, exactly as rendered into the ConfigMap, run with the rendered env against
 * a real server on loopback (Debian's MariaDB, through the shared harness test/support/mariadb.ts;
 * the Job's client image is mysql:<major>, here the Debian mysql/mariadb client plays its part).
 */
import { readFileSync } from 'fs';
import { SchemaMigration, Migrations, MigrationMode, MigrationFile } from '../../lib/migration';
import { sha256Hex } from '../../lib/migration/private/atlas-sum';
import { ValidationError } from '../../lib/core/errors';
import { synthValid, testChart } from '../support/synth';
import { MariaDb, mariaDbUnavailable, startMariaDb } from '../support/mariadb';
import { FakeDatabase } from './support/fake-db';
import { expectOneAppliedTheOtherWaited, renderedRunner, runRunner as runAsRendered, RunOptions, RunResult, RenderedRunner, shortSleeps, startRunner as startAsRendered, until } from './support/runner';
import { openSession } from './support/session';

const reason = mariaDbUnavailable();
if (reason) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED MySQL runner tests: ${reason}`);
}
const describeIf = reason ? describe.skip : describe;
// Every run uses the stand-in sleep: the scripts' 1 s polls for their lock take a tenth of that.
const quick = (options: RunOptions) => ({ ...options, overrides: { ...shortSleeps(), ...options.overrides } });
const runRunner = (r: RenderedRunner, secrets: Record<string, string>, options: RunOptions = {}) => runAsRendered(r, secrets, quick(options));
const startRunner = (r: RenderedRunner, secrets: Record<string, string>, options: RunOptions = {}) => startAsRendered(r, secrets, quick(options));

const F1: MigrationFile = { name: '0001_create_authors.sql', content: 'CREATE TABLE authors (\n  id BIGINT AUTO_INCREMENT PRIMARY KEY,\n  email VARCHAR(255) NOT NULL UNIQUE\n) ENGINE=InnoDB;\n' };
const F2: MigrationFile = { name: '0002_create_posts.sql', content: 'CREATE TABLE posts (\n  id BIGINT AUTO_INCREMENT PRIMARY KEY,\n  author_id BIGINT NOT NULL,\n  title VARCHAR(200) NOT NULL,\n  CONSTRAINT posts_author_fk FOREIGN KEY (author_id) REFERENCES authors (id)\n) ENGINE=InnoDB;\n' };
const F3: MigrationFile = { name: '0003_add_published.sql', content: 'ALTER TABLE posts ADD COLUMN published_at TIMESTAMP NULL;\n' };

describeIf('MySQL runner against a real server (MariaDB)', () => {
  let server: MariaDb;
  const password = 'app-secret';
  beforeAll(async () => {
    server = await startMariaDb();
    server.sql(`CREATE USER 'app'@'%' IDENTIFIED BY '${password}'`);
  }, 60_000);
  afterAll(async () => { await server?.cleanup(); });
  beforeEach(() => {
    server.sql("DROP DATABASE IF EXISTS blog; CREATE DATABASE blog; GRANT ALL PRIVILEGES ON blog.* TO 'app'@'%'");
  });
  const secrets = () => ({ 'blog-app/username': 'app', 'blog-app/password': password });

  function render(files: MigrationFile[], allowDestructiveChanges = false) {
    const chart = testChart('shop');
    const db = new FakeDatabase(chart, 'blog', 'mysql', { host: server.host, port: server.port, database: 'blog', tls: false });
    new SchemaMigration(chart, 'blog-migrate', { target: db, mode: MigrationMode.JOB, migrations: Migrations.fromFiles(files), allowDestructiveChanges });
    return renderedRunner(synthValid(chart));
  }
  const run = (files: MigrationFile[], options: Parameters<typeof runRunner>[2] & { allow?: boolean } = {}) =>
    runRunner(render(files, options.allow), secrets(), options);
  const applied = () => server.sql('SELECT version, name, checksum FROM schema_migration_history ORDER BY version', 'blog').trim().split('\n').filter(Boolean);
  const ok = (r: RunResult) => { if (r.code !== 0) throw new Error(`runner failed (${r.code}):\n${r.stderr}`); return r; };
  const count = (sql: string) => server.sql(sql, 'blog').trim();

  test('renders the credentials as secretKeyRef env and the client options for the target', () => {
    const r = render([F1]);
    expect(r.env.find(e => e.name === 'MYSQL_PWD')?.secret).toEqual({ name: 'blog-app', key: 'password' });
    expect(r.env.find(e => e.name === 'DB_USER')?.secret).toEqual({ name: 'blog-app', key: 'username' });
    expect(r.env.find(e => e.name === 'DB_SSL_MODE')).toBeUndefined();
    expect(r.job.spec.template.spec.containers[0].image).toBe('mysql:8.4');
  });

  test('applies a set, then a re-run is a no-op', async () => {
    ok(await run([F1, F2]));
    expect(applied()).toEqual([
      `0001\t${F1.name}\t${sha256Hex(F1.content)}`,
      `0002\t${F2.name}\t${sha256Hex(F2.content)}`,
    ]);
    expect(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'blog' AND table_name IN ('authors', 'posts')")).toBe('2');
    const before = server.sql('SELECT version, applied_at FROM schema_migration_history ORDER BY version', 'blog');
    const again = ok(await run([F1, F2]));
    expect(again.stderr).toContain('0 pending migration(s)');
    expect(again.stderr).not.toContain('applying');
    expect(server.sql('SELECT version, applied_at FROM schema_migration_history ORDER BY version', 'blog')).toBe(before);
  });

  test('a new file applies alone', async () => {
    ok(await run([F1, F2]));
    const r = ok(await run([F1, F2, F3]));
    expect(r.stderr.match(/applying \S+/g)).toEqual([`applying ${F3.name}`]);
    expect(applied()).toHaveLength(3);
    expect(count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'blog' AND table_name = 'posts' AND column_name = 'published_at'")).toBe('1');
  });

  test('an applied file that changed is refused, and nothing else runs', async () => {
    ok(await run([F1, F2]));
    const edited = { ...F2, content: F2.content.replace('VARCHAR(200)', 'VARCHAR(300)') };
    const r = await run([F1, edited, F3]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${F2.name} was applied with checksum ${sha256Hex(F2.content)} but the file now has checksum ${sha256Hex(edited.content)}`);
    expect(applied()).toHaveLength(2);
    expect(count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'blog' AND column_name = 'published_at'")).toBe('0');
  });

  test.each([
    ['dynamic SQL (PREPARE and EXECUTE)', "SET @s = CONCAT('DR', 'OP TABLE posts');\nPREPARE s FROM @s;\nEXECUTE s;\n", /cannot read[\s\S]*"0003_sneaky\.sql:2"/],
    ['DELETE without WHERE', 'DELETE FROM posts;\n', /DELETE without WHERE[\s\S]*"0003_sneaky\.sql:1"/],
    ['a type change', 'ALTER TABLE posts MODIFY COLUMN title varchar(5);\n', /type change[\s\S]*"0003_sneaky\.sql:1"/],
    ['a rename', 'RENAME TABLE posts TO articles;\n', /rename[\s\S]*"0003_sneaky\.sql:1"/],
  ])('%s is refused at synth time and by the runner', async (_name, content, message) => {
    ok(await run([F1, F2]));
    const sneaky: MigrationFile = { name: '0003_sneaky.sql', content };
    expect(() => render([F1, F2, sneaky])).toThrow(message);
    const refused = await run([F1, F2], { extraFiles: { [sneaky.name]: sneaky.content } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('0003_sneaky.sql (checksum');
    expect(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'blog' AND table_name = 'posts'")).toBe('1');
  });

  test('a destructive file is refused without the opt-in (naming file and line) and applied with it', async () => {
    ok(await run([F1, F2]));
    const drop: MigrationFile = { name: '0003_drop_title.sql', content: '# titles move to a translations table\nALTER TABLE posts\n  DROP COLUMN title;\n' };
    expect(() => render([F1, F2, drop])).toThrow(ValidationError);
    expect(() => render([F1, F2, drop])).toThrow(/destructive statement \(ALTER TABLE \.\.\. DROP\)[\s\S]*"0003_drop_title\.sql:2"/);
    const refused = await run([F1, F2], { extraFiles: { [drop.name]: drop.content } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`0003_drop_title.sql (checksum ${sha256Hex(drop.content)}) was not checked for destructive statements`);
    expect(count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'blog' AND column_name = 'title'")).toBe('1');
    ok(await run([F1, F2, drop], { allow: true }));
    expect(applied()).toHaveLength(3);
    expect(count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'blog' AND column_name = 'title'")).toBe('0');
  });

  test('a failing file stops the run and is not recorded', async () => {
    ok(await run([F1, F2]));
    const failing: MigrationFile = { name: '0003_broken.sql', content: 'CREATE TABLE tags (id BIGINT PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n' };
    const later: MigrationFile = { name: '0004_later.sql', content: 'CREATE TABLE later (id BIGINT PRIMARY KEY);\n' };
    const r = await run([F1, F2, failing, later]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('0003_broken.sql failed and was not recorded');
    expect(applied()).toHaveLength(2);
    expect(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'blog' AND table_name = 'later'")).toBe('0');
  });

  test.each([
    ['spaces, # and quotes', `p w#'1"x`],
    ['backslashes and $', 'a\\b$c\\'],
  ])('a password with %s reaches the server intact', async (_label, tricky) => {
    server.sql(`CREATE USER IF NOT EXISTS 'tricky'@'%' IDENTIFIED BY '${tricky.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'; GRANT ALL ON blog.* TO 'tricky'@'%'`);
    try {
      ok(await runRunner(render([F1]), { 'blog-app/username': 'tricky', 'blog-app/password': tricky }));
      expect(applied()).toHaveLength(1);
    } finally {
      server.sql("DROP USER 'tricky'@'%'");
    }
  });

  // A client session of the test's own (root over the socket), holding user locks until the test closes it.
  const session = () => openSession('mysql', ['--no-defaults', `--socket=${server.socket}`, '--user=root', '--batch', '--skip-column-names', '--unbuffered'],
    { MYSQL_PWD: readFileSync(server.rootPasswordFile, 'utf8') });
  const MIGRATION_LOCK = "SHA1('cdk8s-data:migrate:blog.schema_migration_history')";
  const waitingForLocks = () => server.sql("SELECT count(*) FROM information_schema.processlist WHERE state = 'User lock'").trim();

  test('a lock session the server ends stops the run before the next file', async () => {
    // The first file waits for a lock the test holds, so the test ends the runner's lock session
    // while that file is in flight, however fast or slow the machine is.
    const gate = session();
    await gate.send("SELECT IF(GET_LOCK('cdk8s-data:test:gate', 600) = 1, 'gate-held', 'timeout');", 'gate-held');
    const first: MigrationFile = { name: '0001_gated.sql', content: "SELECT GET_LOCK('cdk8s-data:test:gate', 600);\nCREATE TABLE first_t (id INT);\n" };
    const next: MigrationFile = { name: '0002_next.sql', content: 'CREATE TABLE second_t (id INT);\n' };
    const running = startRunner(render([first, next]), secrets());
    try {
      await until('the first file waits for the gate', () => waitingForLocks() === '1');
      const owner = server.sql(`SELECT IS_USED_LOCK(${MIGRATION_LOCK})`).trim();
      expect(owner).toMatch(/^\d+$/);
      server.sql(`KILL ${owner}`);
    } finally {
      await gate.close();
    }
    const r = await running.done;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('lost the migration lock');
    expect(applied().map(l => l.split('\t')[0])).toEqual(['0001']);
    expect(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'blog' AND table_name = 'second_t'")).toBe('0');
  });

  test('two runners started while the lock is held: both wait, then one applies the set and the other finds nothing pending', async () => {
    const rendered = render([F1, F2, F3]);
    const holder = session();
    await holder.send(`SELECT IF(GET_LOCK(${MIGRATION_LOCK}, 600) = 1, 'locked', 'timeout');`, 'locked');
    const a = startRunner(rendered, secrets());
    const b = startRunner(rendered, secrets());
    try {
      await until('both runners log that they wait', () => [a, b].every(r => r.stderr().includes('waiting for the migration lock')));
      // Both wait on the server, and neither has touched the database.
      expect(waitingForLocks()).toBe('2');
      expect(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'blog' AND table_name = 'schema_migration_history'")).toBe('0');
    } finally {
      await holder.close();
    }
    const results = await Promise.all([a.done, b.done]);
    results.forEach(ok);
    expectOneAppliedTheOtherWaited(results, 3);
    expect(applied()).toHaveLength(3);
  });
});
