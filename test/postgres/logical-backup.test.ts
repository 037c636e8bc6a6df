/**
 * Runs the exact scripts of the logical backup CronJob and restore Job (taken from the synthesized
 * manifests) against a real PostgreSQL server on loopback: write rows, dump, drop, restore, compare,
 * and check that only the newest N dumps are kept. Skipped, with the reason, when the server
 * binaries are not installed.
 */
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PgDumpFormat, PostgresCluster } from '../../lib/postgres';
import { runArgv } from '../support/commands';
import { LocalPostgres, postgresSkipReason, startPostgres } from '../support/postgres';
import { findObject, synthValid, testChart } from '../support/synth';

const skip = postgresSkipReason();
if (skip) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED logical backup tests against a real server: ${skip}`);
}
const maybe = skip ? describe.skip : describe;

interface Rendered { command: string[]; env: Record<string, string | { secretKeyRef: { name: string; key: string } }> }

function containerOf(manifest: any): Rendered {
  const spec = manifest.spec.jobTemplate?.spec ?? manifest.spec;
  const c = spec.template.spec.containers[0];
  return { command: c.command, env: Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom])) };
}

/** Renders the cluster's CronJob and restore Job for a format and returns their containers. */
function render(format: PgDumpFormat, keep: number): { dump: Rendered; restore: Rendered } {
  const chart = testChart('shop');
  const db = new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, logicalBackup: { storage: { size: '10Gi' }, keep, format }, monitoring: { enabled: false } });
  db.addRestoreJob();
  const manifests = synthValid(chart);
  return { dump: containerOf(findObject(manifests, 'CronJob', 'orders-dump')), restore: containerOf(findObject(manifests, 'Job', 'orders-restore')) };
}

/**
 * Runs a rendered container's command with its env, as the kubelet would: literal values as given,
 * secretKeyRef values from the "Secret" (the test server's credentials), and the host, port and
 * backup directory pointed at the loopback server and a temporary directory.
 */
function run(container: Rendered, pg: LocalPostgres, dir: string, extra: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const secret: Record<string, string> = { username: pg.user, password: pg.password };
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const [name, value] of Object.entries(container.env)) {
    env[name] = typeof value === 'string' ? value : secret[value.secretKeyRef.key];
  }
  Object.assign(env, { PGHOST: pg.host, PGPORT: String(pg.port), BACKUP_DIR: dir, HOME: dir }, extra);
  return runArgv(container.command, env);
}

function dumps(dir: string): string[] {
  return readdirSync(dir).filter(f => !f.startsWith('.')).sort();
}

maybe.each([PgDumpFormat.CUSTOM, PgDumpFormat.PLAIN_GZIP])('logical backup scripts (%s) against PostgreSQL on loopback', (format) => {
  let pg: LocalPostgres;
  let dir: string;
  const { dump, restore } = render(format, 3);
  const ext = format === PgDumpFormat.CUSTOM ? '.dump' : '.sql.gz';

  beforeAll(async () => {
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'cdk8s-data-dumps-'));
    // The pod runs as uid 26 with fsGroup; here the script runs as the test user, owner of the directory.
    chmodSync(dir, 0o700);
    if (process.getuid?.() === 0) chownSync(dir, 0, 0);
  }, 120_000);

  afterAll(async () => {
    await pg?.stop();
    if (dir && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  });

  test('the manifest asks for TLS and reads credentials from the app Secret', () => {
    expect(dump.command.slice(0, 2)).toEqual(['/bin/bash', '-c']);
    expect(dump.env.PGSSLMODE).toBe('require');
    expect(dump.env.PGUSER).toEqual({ secretKeyRef: { name: 'orders-app', key: 'username' } });
    expect(dump.env.PGPASSWORD).toEqual({ secretKeyRef: { name: 'orders-app', key: 'password' } });
    expect(dump.env.BACKUP_KEEP).toBe('3');
  });

  test('write rows, dump, drop, restore, compare', () => {
    pg.psql("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL, placed timestamptz NOT NULL DEFAULT now()); CREATE SEQUENCE order_no START 1000;");
    pg.psql("INSERT INTO orders (id, item) SELECT g, 'item ' || g || E' with \\'quotes\\' and ünïcode' FROM generate_series(1, 500) g; SELECT setval('order_no', 1234);");
    const before = pg.psql('SELECT id, item, placed FROM orders ORDER BY id');

    const first = run(dump, pg, dir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const files = dumps(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^app-\\d{8}T\\d{15}Z${ext.replace(/\./g, '\\.')}$`));
    expect(first.stdout).toContain(`wrote ${files[0]}`);

    pg.psql('DROP TABLE orders; DROP SEQUENCE order_no;');
    expect(pg.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'orders'")).toBe('0');

    const restored = run(restore, pg, dir);
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain(`restoring ${files[0]} into app`);
    expect(restored.stdout).toContain('restore complete');
    expect(pg.psql('SELECT id, item, placed FROM orders ORDER BY id')).toBe(before);
    expect(pg.psql("SELECT last_value FROM order_no")).toBe('1234');
  });

  test('restoring over existing data replaces it with the dump', () => {
    pg.psql("DELETE FROM orders WHERE id > 10; INSERT INTO orders (id, item) VALUES (9999, 'not in the dump')");
    const restored = run(restore, pg, dir);
    expect(restored.status).toBe(0);
    expect(pg.psql('SELECT count(*), max(id) FROM orders')).toBe('500|500');
  });

  test('retention keeps the newest N dumps', () => {
    for (let i = 0; i < 4; i++) {
      pg.psql(`INSERT INTO orders (id, item) VALUES (${1000 + i}, 'run ${i}')`);
      const result = run(dump, pg, dir);
      expect(result.status).toBe(0);
    }
    const files = dumps(dir);
    expect(files).toHaveLength(3);
    // the newest dump holds the last row: restore "latest" and look for it
    pg.psql('DELETE FROM orders');
    expect(run(restore, pg, dir).status).toBe(0);
    expect(pg.psql('SELECT max(id) FROM orders')).toBe('1003');
    // a named older dump restores its own state
    expect(run(restore, pg, dir, { RESTORE_FILE: files[0] }).status).toBe(0);
    expect(pg.psql('SELECT max(id) FROM orders')).toBe('1001');
  });

  test('a failed dump exits non-zero, leaves no partial file and keeps older dumps', () => {
    const before = dumps(dir);
    const failed = run(dump, pg, dir, { PGPASSWORD: 'wrong' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/password authentication failed/);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  test('the restore refuses a path outside the backup volume and a missing dump', () => {
    expect(run(restore, pg, dir, { RESTORE_FILE: '../etc/passwd' }).status).not.toBe(0);
    const empty = mkdtempSync(join(tmpdir(), 'cdk8s-data-empty-'));
    try {
      const result = run(restore, pg, empty);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('no dump of app');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
