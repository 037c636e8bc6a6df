/**
 * Runs the exact probe, data-preparation, backup and restore commands from the synthesized
 * manifests against a real MariaDB server on loopback (Debian's mariadb-server). Only the
 * environment differs from the pod: the server's port (MYSQL_TCP_PORT), the host (MYSQL_HOST),
 * and where the Secret file and the backup volume are (MYSQL_ROOT_PASSWORD_FILE, BACKUP_DIR).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Duration } from 'cdk8s';
import { MySqlSingleNode } from '../../lib/mysql';
import { Command, literalEnv, run } from '../support/commands';
import { MariaDb, mariaDbUnavailable, startMariaDb } from '../support/mariadb';
import { findObject, synthValid, testChart } from '../support/synth';

const unavailable = mariaDbUnavailable();
if (unavailable) {
  // Visible in the test output: these tests are skipped, not passed.
  console.warn(`SKIPPED test/mysql/scripts.test.ts: ${unavailable}`);
}
const describeWithServer = unavailable ? describe.skip : describe;

/** The manifests of a database with backups, a restore Job, and a small memory limit. */
function manifests(): any[] {
  const chart = testChart('shop');
  const db = new MySqlSingleNode(chart, 'orders', {
    rootPassword: { secretName: 'orders-root', key: 'password' },
    resources: { memory: '256Mi' },
    config: { maxConnections: 50, slowQueryThreshold: Duration.millis(1500), extra: { 'table_open_cache': '400' } },
    logicalBackup: { keep: 2 },
  });
  db.addRestoreJob();
  return synthValid(chart);
}

function probe(workload: any, which: 'startupProbe' | 'livenessProbe' | 'readinessProbe'): Command {
  const c = workload.spec.template.spec.containers.find((x: any) => x.name === 'mysql');
  return { command: c[which].exec.command, env: literalEnv(c.env) };
}

function jobCommand(job: any): Command {
  const c = job.spec.template.spec.containers[0];
  return { command: c.command, env: literalEnv(c.env) };
}

describeWithServer('MySqlSingleNode scripts against a real server', () => {
  const objects = manifests();
  const deployment = findObject(objects, 'Deployment', 'orders');
  const cronJob = findObject(objects, 'CronJob', 'orders-backup');
  const backup: Command = jobCommand(cronJob.spec.jobTemplate);
  const restore: Command = jobCommand(findObject(objects, 'Job', 'orders-restore'));
  const cnf = findObject(objects, 'ConfigMap', 'orders-config').data['cdk8s-data.cnf'];

  let server: MariaDb;
  let backupDir: string;
  let serverEnv: Record<string, string>;
  let jobEnv: Record<string, string>;

  beforeAll(async () => {
    // The server runs with the construct's rendered my.cnf included, so it also proves the file is accepted.
    server = await startMariaDb({ extraConfig: cnf });
    backupDir = join(server.dir, 'backup');
    mkdirSync(backupDir);
    serverEnv = { MYSQL_TCP_PORT: String(server.port), MYSQL_ROOT_PASSWORD_FILE: server.rootPasswordFile };
    jobEnv = { ...serverEnv, MYSQL_HOST: server.host, BACKUP_DIR: backupDir };
  });

  afterAll(async () => {
    await server?.cleanup();
  });

  const dumps = () => readdirSync(backupDir).filter(f => f.endsWith('.sql.gz')).sort();
  const pause = () => new Promise(resolve => setTimeout(resolve, 1100)); // dump names have one-second resolution

  it('the server accepts the rendered my.cnf', () => {
    expect(server.sql("SELECT @@character_set_server, @@max_connections, @@slow_query_log, @@table_open_cache, @@skip_name_resolve")
      .trim().split('\t')).toEqual(['utf8mb4', '50', '1', '400', '1']);
    expect(Number(server.sql('SELECT @@innodb_buffer_pool_size').trim())).toBe(128 * 2 ** 20);
    expect(Number(server.sql('SELECT @@long_query_time').trim())).toBe(1.5);
  });

  it('the manifest env points the jobs at the Service and the mounted Secret', () => {
    expect(backup.env).toMatchObject({ MYSQL_HOST: 'orders.shop.svc', MYSQL_TCP_PORT: '3306', MYSQL_ROOT_PASSWORD_FILE: '/etc/mysql-credentials/root/password', BACKUP_DIR: '/backup', BACKUP_KEEP: '2', BACKUP_PREFIX: 'orders' });
    expect(restore.env).toMatchObject({ MYSQL_HOST: 'orders.shop.svc', BACKUP_DIR: '/backup', BACKUP_PREFIX: 'orders' });
  });

  it('startup, liveness and readiness probes pass on a healthy server', () => {
    for (const which of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
      const result = run(probe(deployment, which), serverEnv);
      expect({ which, status: result.status, stderr: result.stderr }).toEqual({ which, status: 0, stderr: '' });
    }
  });

  it('readiness fails with a wrong password, liveness does not restart the server for it', () => {
    const wrong = join(server.dir, 'wrong-password');
    writeFileSync(wrong, 'not-the-password');
    expect(run(probe(deployment, 'readinessProbe'), { ...serverEnv, MYSQL_ROOT_PASSWORD_FILE: wrong }).status).not.toBe(0);
    expect(run(probe(deployment, 'livenessProbe'), { ...serverEnv, MYSQL_ROOT_PASSWORD_FILE: wrong }).status).toBe(0);
  });

  it('the data-preparation command creates the subPath directory', () => {
    const init = deployment.spec.template.spec.initContainers[0];
    expect(init.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(init.env).toBeUndefined();
    const root = mkdtempSync(join(tmpdir(), 'prepare-'));
    const command: Command = { command: init.command, env: {} };
    expect(run(command, { DATA_VOLUME_ROOT: root }).status).toBe(0);
    expect(statSync(join(root, 'mysql')).isDirectory()).toBe(true);
    expect(run(command, { DATA_VOLUME_ROOT: root }).status).toBe(0); // idempotent
    rmSync(root, { recursive: true, force: true });
  });

  it('backs up, and restores the dropped database with the restore Job script', () => {
    server.sql([
      'CREATE DATABASE shop',
      'CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(100), price DECIMAL(10,2), note TEXT, data BLOB)',
      "INSERT INTO shop.orders VALUES (1, 'tea', 3.50, 'it''s \"quoted\"\\ttab', X'00FF10'), (2, 'cake', 12.00, NULL, NULL), (3, 'ünïcödé ☕', 0.99, REPEAT('x', 5000), X'DEADBEEF')",
      'CREATE DATABASE crm',
      'CREATE TABLE crm.contacts (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(200) UNIQUE)',
      "INSERT INTO crm.contacts (email) VALUES ('a@example.com'), ('b@example.com')",
      'CREATE VIEW shop.expensive AS SELECT id, item FROM shop.orders WHERE price > 10',
    ].join('; '));
    const before = {
      orders: server.sql('SELECT id, item, price, note, HEX(data) FROM shop.orders ORDER BY id'),
      contacts: server.sql('SELECT id, email FROM crm.contacts ORDER BY id'),
      view: server.sql('SELECT * FROM shop.expensive'),
    };

    const result = run(backup, jobEnv);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^backup: wrote .*\/orders-\d{8}T\d{6}Z\.sql\.gz \(\d+ bytes\)\n$/);
    expect(dumps()).toHaveLength(1);
    expect(readdirSync(backupDir).filter(f => f.includes('partial'))).toEqual([]);
    expect(statSync(join(backupDir, dumps()[0])).mode & 0o077).toBe(0);

    server.sql('DROP DATABASE shop; DROP DATABASE crm');
    expect(server.sql("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name IN ('shop', 'crm')").trim()).toBe('0');

    const restored = run(restore, jobEnv);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain(`restore: loading ${dumps()[0]} into 127.0.0.1`);
    expect({
      orders: server.sql('SELECT id, item, price, note, HEX(data) FROM shop.orders ORDER BY id'),
      contacts: server.sql('SELECT id, email FROM crm.contacts ORDER BY id'),
      view: server.sql('SELECT * FROM shop.expensive'),
    }).toEqual(before);
  });

  it('keeps only the newest BACKUP_KEEP dumps', async () => {
    for (let i = 0; i < 3; i++) {
      await pause();
      server.sql(`INSERT INTO shop.orders (id, item) VALUES (${100 + i}, 'run ${i}')`);
      expect(run(backup, jobEnv).status).toBe(0);
    }
    const kept = dumps();
    expect(kept).toHaveLength(2);
    // The newest dump holds the last row: restore it by name and check.
    server.sql('DROP DATABASE shop');
    const result = run(restore, { ...jobEnv, RESTORE_FILE: kept[1] });
    expect(result.status).toBe(0);
    expect(server.sql('SELECT MAX(id) FROM shop.orders').trim()).toBe('102');
  });

  it('removes partial files of killed runs, not those of a run still going', () => {
    const stale = join(backupDir, '.orders-20000101T000000Z.sql.gz.partial');
    const fresh = join(backupDir, '.orders-20000101T000001Z.sql.gz.partial');
    writeFileSync(stale, 'x');
    writeFileSync(fresh, 'x');
    const old = new Date(Date.now() - (Number(backup.env.BACKUP_TIMEOUT_MINUTES) + 5) * 60_000);
    utimesSync(stale, old, old);
    expect(backup.env.BACKUP_TIMEOUT_MINUTES).toBe('120');
    expect(run(backup, jobEnv).status).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    rmSync(fresh);
  });

  it('a failed dump leaves the earlier dumps alone and reports failure', () => {
    const before = dumps();
    const result = run(backup, { ...jobEnv, BACKUP_DATABASES: 'no_such_database' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('backup: the dump is incomplete');
    expect(dumps()).toEqual(before);
    expect(readdirSync(backupDir).filter(f => f.includes('partial'))).toEqual([]);
  });

  it('restore refuses a truncated dump and changes nothing', async () => {
    await pause();
    expect(run(backup, jobEnv).status).toBe(0);
    const newest = dumps()[dumps().length - 1];
    const copy = 'orders-20000101T000000Z.sql.gz';
    writeFileSync(join(backupDir, copy), '');
    spawnSync('cp', [join(backupDir, newest), join(backupDir, copy)]);
    truncateSync(join(backupDir, copy), Math.floor(statSync(join(backupDir, copy)).size / 2));
    const rows = server.sql('SELECT COUNT(*) FROM shop.orders');
    const result = run(restore, { ...jobEnv, RESTORE_FILE: copy });
    expect(result.status).not.toBe(0);
    expect(server.sql('SELECT COUNT(*) FROM shop.orders')).toBe(rows);
    rmSync(join(backupDir, copy));
  });

  it('restore fails clearly when there is no dump', () => {
    const empty = join(server.dir, 'empty-backups');
    mkdirSync(empty);
    const result = run(restore, { ...jobEnv, BACKUP_DIR: empty });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('restore: no dump to restore');
  });

  // Issue 16: the database names found at run time reach mysqldump as data, whatever they are.
  it.each([
    ['a space', 'my shop'],
    ['quotes', `it's "quoted"`],
    ['a glob', '*'],
    ['a leading --', '--no-data'],
    ['a backtick and a backslash', 'back`tick\\slash'],
    ['a newline and a tab', 'new\nline\ttab'],
  ])('backs up and restores a database named with %s', async (_what, hostile) => {
    await pause();
    const ident = '`' + hostile.replace(/`/g, '``') + '`';
    server.sql(`CREATE DATABASE ${ident}; CREATE TABLE ${ident}.t (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO ${ident}.t VALUES (1, 'one'), (2, 'two')`);
    const result = run(backup, jobEnv);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const newest = dumps()[dumps().length - 1];
    server.sql(`DROP DATABASE ${ident}; DROP DATABASE shop`);
    const restored = run(restore, { ...jobEnv, RESTORE_FILE: newest });
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(server.sql(`SELECT id, v FROM ${ident}.t ORDER BY id`)).toBe('1\tone\n2\ttwo\n');
    expect(server.sql('SELECT COUNT(*) FROM shop.orders').trim()).not.toBe('0');
    server.sql(`DROP DATABASE ${ident}`);
  });

  it('probes fail once the server is stopped', async () => {
    await server.stop();
    for (const which of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
      expect({ which, status: run(probe(deployment, which), serverEnv).status }).not.toEqual({ which, status: 0 });
    }
    expect(existsSync(server.dir)).toBe(true);
  });
});
