/**
 * Off-site dumps against real servers: the dump and upload steps of the backup CronJob and the
 * download and restore steps of the restore Job, exactly as rendered, run against a MariaDB on
 * loopback and, per provider, an object store on loopback: an S3-compatible server (s3rver) and
 * the Azure Blob Storage emulator (Azurite, with a SAS token), with Debian's rclone standing in
 * for the pinned rclone image. The same scripts serve every provider; only the remote changes.
 * The restore goes into a second, fresh server.
 */
import { mkdirSync, mkdtempSync, readdirSync } from 'fs';
import { join } from 'path';
import { MySqlObjectStoreProps, MySqlSingleNode } from '../../lib/mysql';
import { ObjectStoreProvider } from '../../lib/postgres';
import { azuriteUnavailable, startAzurite } from '../support/azurite';
import { Command, jobSteps, run } from '../support/commands';
import { MariaDb, mariaDbUnavailable, startMariaDb } from '../support/mariadb';
import { s3Unavailable, startS3 } from '../support/s3';
import { findObject, synthValid, testChart } from '../support/synth';

/** A store on loopback: the props pointing at it and what the cluster would add to the env (Secrets). */
interface Store {
  readonly objectStore: MySqlObjectStoreProps;
  readonly env: (step: Command) => Record<string, string>;
  readonly remote: string;
  cleanup(): Promise<void>;
}

const STORES: { name: string; unavailable: () => string | undefined; start: () => Promise<Store> }[] = [
  {
    name: 'S3 (s3rver)',
    unavailable: s3Unavailable,
    start: async () => {
      const s3 = await startS3(['backups']);
      return {
        objectStore: {
          destinationPath: 's3://backups/mysql/orders',
          endpointUrl: 'https://minio.storage.svc:9000',
          s3: { accessKeyId: { secretName: 'backup-s3', key: 'access-key-id' }, secretAccessKey: { secretName: 'backup-s3', key: 'secret-access-key' } },
          keep: 2,
        },
        // The endpoint: what the Service would give in the cluster.
        env: () => ({ RCLONE_S3_ENDPOINT: s3.endpoint, RCLONE_S3_ACCESS_KEY_ID: s3.accessKeyId, RCLONE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey }),
        remote: ':s3:backups',
        cleanup: () => s3.cleanup(),
      };
    },
  },
  {
    name: 'AZURE (Azurite)',
    unavailable: azuriteUnavailable,
    start: async () => {
      const azurite = await startAzurite(['backups']);
      return {
        objectStore: {
          provider: ObjectStoreProvider.AZURE,
          destinationPath: `${azurite.serviceUrl}/backups/mysql/orders`,
          azure: { storageAccount: { secretName: 'backup-azure', key: 'account' }, storageSasToken: { secretName: 'backup-azure', key: 'sas' } },
          keep: 2,
        },
        // The kubelet's $(VAR) expansion of the Secret-backed token into the SAS URL.
        env: step => ({ AZURE_STORAGE_SAS_TOKEN: azurite.sasToken, RCLONE_AZUREBLOB_SAS_URL: step.env.RCLONE_AZUREBLOB_SAS_URL.replace('$(AZURE_STORAGE_SAS_TOKEN)', azurite.sasToken) }),
        remote: ':azureblob:backups',
        cleanup: () => azurite.cleanup(),
      };
    },
  },
];

function manifests(objectStore: MySqlObjectStoreProps): any[] {
  const chart = testChart('shop');
  const db = new MySqlSingleNode(chart, 'orders', {
    rootPassword: { secretName: 'orders-root', key: 'password' },
    logicalBackup: { keepOnVolume: false, storage: { size: '5Gi' }, objectStore },
  });
  db.addRestoreJob();
  return synthValid(chart);
}

describe.each(STORES)('MySqlSingleNode off-site dumps against real servers: $name', ({ name, unavailable: storeUnavailable, start }) => {
  const unavailable = mariaDbUnavailable() ?? storeUnavailable();
  if (unavailable) console.warn(`SKIPPED test/mysql/offsite.test.ts (${name}): ${unavailable}`);
  const maybe = unavailable ? it.skip : it;
  let objects: any[];
  let backup: Record<string, Command>;
  let restore: Record<string, Command>;
  let source: MariaDb;
  let target: MariaDb;
  let store: Store;
  let storeEnv: Record<string, string>;

  beforeAll(async () => {
    if (unavailable) return;
    [source, target, store] = await Promise.all([startMariaDb(), startMariaDb(), start()]);
    objects = manifests(store.objectStore);
    backup = jobSteps(findObject(objects, 'CronJob', 'orders-backup').spec.jobTemplate.spec);
    restore = jobSteps(findObject(objects, 'Job', 'orders-restore').spec);
    // TMPDIR and HOME: the pod's /tmp emptyDir.
    const tmp = mkdtempSync(join(source.dir, 'tmp-'));
    storeEnv = { ...store.env(backup.upload), TMPDIR: tmp, HOME: tmp };
  }, 120_000);
  afterAll(async () => {
    await Promise.all([source?.cleanup(), target?.cleanup(), store?.cleanup()]);
  });

  const mysqlEnv = (server: MariaDb, dir: string) => ({ MYSQL_HOST: server.host, MYSQL_TCP_PORT: String(server.port), MYSQL_ROOT_PASSWORD_FILE: server.rootPasswordFile, BACKUP_DIR: dir });
  const inBucket = (): string[] => run({ command: ['rclone', 'lsf', '--files-only', backup.upload.env.BACKUP_REMOTE], env: backup.upload.env }, storeEnv).stdout.split('\n').filter(Boolean).sort();
  /** One run of the backup Job: a fresh scratch directory, the dump step, then the upload step. */
  function runBackup(): void {
    const scratch = mkdtempSync(join(source.dir, 'scratch-'));
    const dumped = run(backup.backup, mysqlEnv(source, scratch));
    expect(dumped.stderr).toBe('');
    expect(dumped.status).toBe(0);
    const uploaded = run(backup.upload, { ...storeEnv, BACKUP_DIR: scratch });
    expect(uploaded.stderr).toBe('');
    expect(uploaded.status).toBe(0);
    expect(uploaded.stdout).toMatch(new RegExp(`^upload: copied orders-\\d{8}T\\d{6}Z\\.sql\\.gz to ${store.remote}/mysql/orders\n`));
  }
  const pause = () => new Promise(resolve => setTimeout(resolve, 1100));

  maybe('the rendered steps: dump then upload; download then restore; credentials only from Secrets', () => {
    expect(Object.keys(backup)).toEqual(['backup', 'upload']);
    expect(Object.keys(restore)).toEqual(['download', 'restore']);
    expect(backup.upload.env).toMatchObject({ BACKUP_REMOTE: `${store.remote}/mysql/orders`, BACKUP_REMOTE_KEEP: '2' });
    for (const secret of ['RCLONE_S3_ACCESS_KEY_ID', 'RCLONE_S3_SECRET_ACCESS_KEY', 'AZURE_STORAGE_SAS_TOKEN']) {
      expect(backup.upload.env[secret]).toBeUndefined(); // a secretKeyRef, not a literal
    }
    expect(objects.some(o => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'orders-backups')).toBe(false);
  });

  maybe('dumps, uploads, keeps the newest two in the bucket, restores into a fresh server', async () => {
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
    const downloaded = run(restore.download, { ...storeEnv, BACKUP_DIR: scratch });
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

  maybe('restores a named older dump from the bucket', () => {
    const [older] = inBucket();
    const scratch = mkdtempSync(join(target.dir, 'scratch-'));
    expect(run(restore.download, { ...storeEnv, BACKUP_DIR: scratch, RESTORE_FILE: older }).status).toBe(0);
    expect(run(restore.restore, mysqlEnv(target, scratch)).status).toBe(0);
    expect(target.sql('SELECT MAX(id) FROM shop.orders').trim()).toBe('11');
  });

  maybe('fails clearly when the bucket has no dump or the upload is refused', () => {
    const scratch = mkdtempSync(join(target.dir, 'scratch-'));
    const empty = run(restore.download, { ...storeEnv, BACKUP_DIR: scratch, BACKUP_REMOTE: `${store.remote}/nothing-here` });
    expect(empty.status).not.toBe(0);
    expect(empty.stderr).toContain(`download: no dump in ${store.remote}/nothing-here`);
    const dumpDir = mkdtempSync(join(source.dir, 'scratch-'));
    expect(run(backup.backup, mysqlEnv(source, dumpDir)).status).toBe(0);
    const refused = run(backup.upload, { ...storeEnv, BACKUP_DIR: dumpDir, BACKUP_REMOTE: `${store.remote.replace('backups', 'no-such-bucket')}/x` });
    expect(refused.status).not.toBe(0);
  });
});

