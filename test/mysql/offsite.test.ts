/**
 * Off-site dumps against real servers: the dump and upload steps of the backup CronJob and the
 * download and restore steps of the restore Job, exactly as rendered, run against a MariaDB on
 * loopback and an S3-compatible server (s3rver) on loopback, with Debian's rclone standing in for
 * the pinned rclone image. The restore goes into a second, fresh server.
 */
import { mkdirSync, mkdtempSync, readdirSync } from 'fs';
import { join } from 'path';
import { MySqlSingleNode } from '../../lib/mysql';
import { jobSteps, run } from '../support/commands';
import { MariaDb, mariaDbUnavailable, startMariaDb } from '../support/mariadb';
import { S3Server, s3Unavailable, startS3 } from '../support/s3';
import { findObject, synthValid, testChart } from '../support/synth';

const unavailable = mariaDbUnavailable() ?? s3Unavailable();
if (unavailable) console.warn(`SKIPPED test/mysql/offsite.test.ts: ${unavailable}`);
const describeWithServers = unavailable ? describe.skip : describe;

function manifests(): any[] {
  const chart = testChart('shop');
  const db = new MySqlSingleNode(chart, 'orders', {
    rootPassword: { secretName: 'orders-root', key: 'password' },
    logicalBackup: {
      keepOnVolume: false,
      storage: { size: '5Gi' },
      objectStore: {
        destinationPath: 's3://backups/mysql/orders',
        endpointUrl: 'https://minio.storage.svc:9000',
        s3: { accessKeyId: { secretName: 'backup-s3', key: 'access-key-id' }, secretAccessKey: { secretName: 'backup-s3', key: 'secret-access-key' } },
        keep: 2,
      },
    },
  });
  db.addRestoreJob();
  return synthValid(chart);
}

describeWithServers('MySqlSingleNode off-site dumps against real servers', () => {
  const objects = manifests();
  const backup = jobSteps(findObject(objects, 'CronJob', 'orders-backup').spec.jobTemplate.spec);
  const restore = jobSteps(findObject(objects, 'Job', 'orders-restore').spec);
  let source: MariaDb;
  let target: MariaDb;
  let s3: S3Server;
  let s3Env: Record<string, string>;

  beforeAll(async () => {
    [source, target, s3] = await Promise.all([startMariaDb(), startMariaDb(), startS3(['backups'])]);
    // What the secretKeyRefs and the Service would give in the cluster.
    // TMPDIR and HOME: the pod's /tmp emptyDir.
    const tmp = mkdtempSync(join(source.dir, 'tmp-'));
    s3Env = { RCLONE_S3_ENDPOINT: s3.endpoint, RCLONE_S3_ACCESS_KEY_ID: s3.accessKeyId, RCLONE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey, TMPDIR: tmp, HOME: tmp };
  }, 120_000);
  afterAll(async () => {
    await Promise.all([source?.cleanup(), target?.cleanup(), s3?.cleanup()]);
  });

  const mysqlEnv = (server: MariaDb, dir: string) => ({ MYSQL_HOST: server.host, MYSQL_TCP_PORT: String(server.port), MYSQL_ROOT_PASSWORD_FILE: server.rootPasswordFile, BACKUP_DIR: dir });
  const inBucket = (): string[] => run({ command: ['rclone', 'lsf', '--files-only', backup.upload.env.BACKUP_REMOTE], env: backup.upload.env }, s3Env).stdout.split('\n').filter(Boolean).sort();
  /** One run of the backup Job: a fresh scratch directory, the dump step, then the upload step. */
  function runBackup(): void {
    const scratch = mkdtempSync(join(source.dir, 'scratch-'));
    const dumped = run(backup.backup, mysqlEnv(source, scratch));
    expect(dumped.stderr).toBe('');
    expect(dumped.status).toBe(0);
    const uploaded = run(backup.upload, { ...s3Env, BACKUP_DIR: scratch });
    expect(uploaded.stderr).toBe('');
    expect(uploaded.status).toBe(0);
    expect(uploaded.stdout).toMatch(/^upload: copied orders-\d{8}T\d{6}Z\.sql\.gz to :s3:backups\/mysql\/orders\n/);
  }
  const pause = () => new Promise(resolve => setTimeout(resolve, 1100));

  it('the rendered steps: dump then upload; download then restore; credentials only from Secrets', () => {
    expect(Object.keys(backup)).toEqual(['backup', 'upload']);
    expect(Object.keys(restore)).toEqual(['download', 'restore']);
    expect(backup.upload.env).toMatchObject({ BACKUP_REMOTE: ':s3:backups/mysql/orders', BACKUP_REMOTE_KEEP: '2', RCLONE_S3_PROVIDER: 'Other', RCLONE_S3_ENDPOINT: 'https://minio.storage.svc:9000' });
    expect(backup.upload.env.RCLONE_S3_ACCESS_KEY_ID).toBeUndefined(); // a secretKeyRef, not a literal
    expect(objects.some(o => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'orders-backups')).toBe(false);
  });

  it('dumps, uploads, keeps the newest two in the bucket, restores into a fresh server', async () => {
    source.sql([
      'CREATE DATABASE shop',
      'CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(100), price DECIMAL(10,2), data BLOB)',
      "INSERT INTO shop.orders VALUES (1, 'tea', 3.50, X'00FF'), (2, 'ünïcödé ☕', 12.00, NULL)",
      'CREATE DATABASE `my crm`',
      'CREATE TABLE `my crm`.contacts (id INT PRIMARY KEY, email VARCHAR(200))',
      "INSERT INTO `my crm`.contacts VALUES (1, 'a@example.com')",
    ].join('; '));
    for (let i = 0; i < 3; i++) {
      if (i > 0) await pause();
      source.sql(`INSERT INTO shop.orders (id, item) VALUES (${10 + i}, 'run ${i}')`);
      runBackup();
    }
    const objectsInBucket = inBucket();
    expect(objectsInBucket).toHaveLength(2);
    for (const name of objectsInBucket) expect(name).toMatch(/^orders-\d{8}T\d{6}Z\.sql\.gz$/);

    const scratch = join(target.dir, 'scratch');
    mkdirSync(scratch);
    const downloaded = run(restore.download, { ...s3Env, BACKUP_DIR: scratch });
    expect(downloaded.stderr).toBe('');
    expect(downloaded.status).toBe(0);
    expect(readdirSync(scratch)).toEqual([objectsInBucket[1]]);
    const restored = run(restore.restore, mysqlEnv(target, scratch));
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    for (const query of ['SELECT id, item, price, HEX(data) FROM shop.orders ORDER BY id', 'SELECT * FROM `my crm`.contacts ORDER BY id']) {
      expect(target.sql(query)).toBe(source.sql(query));
    }
    expect(target.sql('SELECT MAX(id) FROM shop.orders').trim()).toBe('12');
  });

  it('restores a named older dump from the bucket', () => {
    const [older] = inBucket();
    const scratch = mkdtempSync(join(target.dir, 'scratch-'));
    expect(run(restore.download, { ...s3Env, BACKUP_DIR: scratch, RESTORE_FILE: older }).status).toBe(0);
    expect(run(restore.restore, mysqlEnv(target, scratch)).status).toBe(0);
    expect(target.sql('SELECT MAX(id) FROM shop.orders').trim()).toBe('11');
  });

  it('fails clearly when the bucket has no dump or the upload is refused', () => {
    const scratch = mkdtempSync(join(target.dir, 'scratch-'));
    const empty = run(restore.download, { ...s3Env, BACKUP_DIR: scratch, BACKUP_REMOTE: ':s3:backups/nothing-here' });
    expect(empty.status).not.toBe(0);
    expect(empty.stderr).toContain('download: no dump in :s3:backups/nothing-here');
    const dumpDir = mkdtempSync(join(source.dir, 'scratch-'));
    expect(run(backup.backup, mysqlEnv(source, dumpDir)).status).toBe(0);
    const refused = run(backup.upload, { ...s3Env, BACKUP_DIR: dumpDir, BACKUP_REMOTE: ':s3:no-such-bucket/x' });
    expect(refused.status).not.toBe(0);
  });
});

