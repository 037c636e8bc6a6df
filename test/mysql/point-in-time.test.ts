/**
 * Point-in-time recovery against real servers: the binary log sidecars of the database pod, the
 * dump and upload steps, and the three steps of a point-in-time restore Job, exactly as rendered,
 * run against MariaDB on loopback (binary logging on, as MySQL 8 has by default), s3rver on
 * loopback and Debian's rclone. Write, dump, write more, note the time, write again, restore to
 * the noted time into a fresh server, compare.
 */
import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { MySqlSingleNode, MySqlSingleNodeProps } from '../../lib/mysql';
import { Command, containerCommand, jobSteps, run } from '../support/commands';
import { MariaDb, mariaDbUnavailable, startMariaDb } from '../support/mariadb';
import { S3Server, s3Unavailable, startS3 } from '../support/s3';
import { findObject, synthValid, testChart } from '../support/synth';

const unavailable = mariaDbUnavailable() ?? s3Unavailable();
if (unavailable) console.warn(`SKIPPED test/mysql/point-in-time.test.ts: ${unavailable}`);
const describeWithServers = unavailable ? describe.skip : describe;

const PROPS: MySqlSingleNodeProps = {
  rootPassword: { secretName: 'orders-root', key: 'password' },
  logicalBackup: {
    keepOnVolume: false,
    pointInTimeRecovery: true,
    objectStore: {
      destinationPath: 's3://backups/orders',
      endpointUrl: 'https://minio.storage.svc:9000',
      s3: { accessKeyId: { secretName: 'backup-s3', key: 'id' }, secretAccessKey: { secretName: 'backup-s3', key: 'secret' } },
    },
  },
};

function manifests(pointInTime?: Date): any[] {
  const chart = testChart('shop');
  const db = new MySqlSingleNode(chart, 'orders', PROPS);
  if (pointInTime) db.addRestoreJob('Restore', { pointInTime });
  return synthValid(chart);
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describeWithServers('MySqlSingleNode point-in-time recovery against real servers', () => {
  const objects = manifests();
  const pod = findObject(objects, 'Deployment', 'orders').spec.template.spec;
  const sidecar = (name: string): Command => containerCommand(pod.containers.find((c: any) => c.name === name));
  const backup = jobSteps(findObject(objects, 'CronJob', 'orders-backup').spec.jobTemplate.spec);
  let source: MariaDb;
  let target: MariaDb;
  let s3: S3Server;
  let s3Env: Record<string, string>;
  const running: ChildProcess[] = [];

  beforeAll(async () => {
    const binlog = '[mysqld]\nlog_bin=mysql-bin\nserver_id=1\nbinlog_format=ROW\n';
    [source, target, s3] = await Promise.all([startMariaDb({ extraConfig: binlog }), startMariaDb(), startS3(['backups'])]);
    const tmp = mkdtempSync(join(source.dir, 'tmp-'));
    s3Env = { RCLONE_S3_ENDPOINT: s3.endpoint, RCLONE_S3_ACCESS_KEY_ID: s3.accessKeyId, RCLONE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey, TMPDIR: tmp, HOME: tmp };
  }, 120_000);
  afterAll(async () => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all([source?.cleanup(), target?.cleanup(), s3?.cleanup()]);
  });

  /** Starts a long-running sidecar command as rendered, with the test's overrides. */
  function start(cmd: Command, overrides: Record<string, string>, log: string): ChildProcess {
    const out = openSync(join(source.dir, log), 'w');
    const child = spawn(cmd.command[0], cmd.command.slice(1), { env: { PATH: process.env.PATH, ...cmd.env, ...overrides }, stdio: ['ignore', out, out] });
    running.push(child);
    return child;
  }
  const mysqlEnv = (server: MariaDb) => ({ MYSQL_HOST: server.host, MYSQL_TCP_PORT: String(server.port), MYSQL_ROOT_PASSWORD_FILE: server.rootPasswordFile });
  const bucketSizes = (): Record<string, number> => Object.fromEntries(
    run({ command: ['rclone', 'lsf', '--format', 'ps', '--separator', '\t', ':s3:backups/orders/binlog'], env: backup.upload.env }, s3Env).stdout
      .split('\n').filter(Boolean).map(line => line.split('\t')).map(([name, size]) => [name, Number(size)]));

  it('renders the sidecars, the coordinates in the dump, and the three restore steps', () => {
    expect(pod.containers.map((c: any) => c.name)).toEqual(['mysql', 'binlog-stream', 'binlog-upload']);
    expect(pod.volumes.find((v: any) => v.name === 'binlog')).toEqual({ name: 'binlog', emptyDir: { sizeLimit: '20Gi' } });
    expect(backup.backup.env.BACKUP_BINLOG_POSITION).toBe('true');
    const restore = findObject(manifests(new Date('2026-03-01T12:30:45.500Z')), 'Job', 'orders-restore').spec.template.spec;
    expect(restore.initContainers.map((c: any) => c.name)).toEqual(['download', 'download-binlogs']);
    expect(restore.initContainers[0].env).toEqual(expect.arrayContaining([{ name: 'RESTORE_BEFORE', value: '20260301T123045Z' }]));
    expect(restore.containers[0].env).toEqual(expect.arrayContaining([{ name: 'RESTORE_UNTIL', value: '2026-03-01 12:30:45' }, { name: 'TZ', value: 'UTC' }]));
  });

  it('restores a fresh server to the noted time: the dump, then the binary logs up to it', async () => {
    const binlogDir = mkdtempSync(join(source.dir, 'binlog-'));
    source.sql('CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, phase VARCHAR(10), note TEXT)');
    source.sql("INSERT INTO shop.orders VALUES (1, 'before', 'in the dump'), (2, 'before', 'it''s \"quoted\"')");
    start(sidecar('binlog-stream'), { ...mysqlEnv(source), BINLOG_DIR: binlogDir }, 'stream.log');
    start(sidecar('binlog-upload'), { ...s3Env, BINLOG_DIR: binlogDir, BINLOG_UPLOAD_SECONDS: '1' }, 'upload.log');

    // The dump and its upload, as the CronJob runs them.
    const scratch = mkdtempSync(join(source.dir, 'scratch-'));
    const dumped = run(backup.backup, { ...mysqlEnv(source), BACKUP_DIR: scratch });
    expect(dumped.stderr).toBe('');
    expect(dumped.status).toBe(0);
    expect(run(backup.upload, { ...s3Env, BACKUP_DIR: scratch }).status).toBe(0);

    // Written after the dump, before the noted time, across a binary log rotation.
    source.sql("INSERT INTO shop.orders VALUES (3, 'after', 'after the dump')");
    source.sql('FLUSH BINARY LOGS');
    source.sql("UPDATE shop.orders SET note = 'changed after the dump' WHERE id = 1; DELETE FROM shop.orders WHERE id = 2");
    const expected = source.sql('SELECT id, phase, note FROM shop.orders ORDER BY id');
    await sleep(1100);
    const noted = new Date(Math.ceil(Date.now() / 1000) * 1000);
    await sleep(noted.getTime() - Date.now() + 200);
    // Written after the noted time: the restore must leave these out.
    source.sql("INSERT INTO shop.orders VALUES (4, 'late', 'after the noted time'); DELETE FROM shop.orders WHERE id = 1");

    // Wait until the bucket holds every binary log up to the server's current position.
    const [file, position] = source.sql('SHOW MASTER STATUS').split('\t');
    const deadline = Date.now() + 30_000;
    while ((bucketSizes()[file] ?? 0) < Number(position)) {
      if (Date.now() > deadline) throw new Error(`binary logs did not reach the bucket: ${JSON.stringify(bucketSizes())}, want ${file} at ${position}\n${readFileSync(join(source.dir, 'stream.log'), 'utf8')}\n${readFileSync(join(source.dir, 'upload.log'), 'utf8').slice(-2000)}\n${readdirSync(binlogDir)}`);
      await sleep(300);
    }
    expect(Object.keys(bucketSizes()).length).toBeGreaterThanOrEqual(2);
    // The uploader keeps only the file being written; the probes of both sidecars pass.
    expect(readdirSync(binlogDir)).toEqual([file]);
    for (const [name, probe] of [['binlog-stream', 'readinessProbe'], ['binlog-stream', 'livenessProbe'], ['binlog-upload', 'readinessProbe'], ['binlog-upload', 'livenessProbe']]) {
      const c = pod.containers.find((x: any) => x.name === name);
      const result = run({ command: c[probe].exec.command, env: {} }, { ...s3Env, BINLOG_DIR: binlogDir });
      expect({ name, probe, status: result.status }).toEqual({ name, probe, status: 0 });
    }

    const restore = jobSteps(findObject(manifests(noted), 'Job', 'orders-restore').spec);
    expect(Object.keys(restore)).toEqual(['download', 'download-binlogs', 'restore']);
    const restoreDir = mkdtempSync(join(target.dir, 'scratch-'));
    for (const step of ['download', 'download-binlogs'] as const) {
      const result = run(restore[step], { ...s3Env, BACKUP_DIR: restoreDir });
      expect({ step, stderr: result.stderr, status: result.status }).toEqual({ step, stderr: '', status: 0 });
    }
    const restored = run(restore.restore, { ...mysqlEnv(target), BACKUP_DIR: restoreDir });
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain('restore: replaying mysql-bin.');
    expect(target.sql('SELECT id, phase, note FROM shop.orders ORDER BY id')).toBe(expected);
    expect(expected).toBe('1\tbefore\tchanged after the dump\n3\tafter\tafter the dump\n');
  });

  it('refuses a point-in-time restore from a dump without coordinates', () => {
    const chart = testChart('shop');
    const plain = new MySqlSingleNode(chart, 'orders', { ...PROPS, logicalBackup: { ...PROPS.logicalBackup, pointInTimeRecovery: false } });
    expect(() => plain.addRestoreJob('R', { pointInTime: new Date() })).toThrow(/pointInTime.*needs the archived binary logs/s);
  });
});
