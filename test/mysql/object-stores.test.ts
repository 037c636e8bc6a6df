/**
 * The object-store providers of MySqlSingleNode's off-site dumps: what each renders into the
 * rclone containers (environment, credential files), and what each refuses.
 */
import { ValidationError } from '../../lib/core';
import { MySqlObjectStoreProps, MySqlSingleNode } from '../../lib/mysql';
import { ObjectStoreProvider } from '../../lib/postgres';
import { findObject, synthValid, testChart } from '../support/synth';

const ROOT = { secretName: 'orders-root', key: 'password' };
const KEYS = { accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'secret' } };
const GCS: MySqlObjectStoreProps = { provider: ObjectStoreProvider.GOOGLE, destinationPath: 'gs://shop_backups/mysql/orders/', google: { applicationCredentials: { secretName: 'gcs', key: 'key.json' } } };
const AZURE_KEY: MySqlObjectStoreProps = {
  provider: ObjectStoreProvider.AZURE, destinationPath: 'https://shopbackups.blob.core.windows.net/mysql/orders',
  azure: { storageAccount: { secretName: 'azure', key: 'account' }, storageKey: { secretName: 'azure', key: 'key' } },
};
const AZURE_SAS: MySqlObjectStoreProps = {
  provider: ObjectStoreProvider.AZURE, destinationPath: 'https://shopbackups.blob.core.windows.net/mysql/orders',
  azure: { storageAccount: { secretName: 'azure', key: 'account' }, storageSasToken: { secretName: 'azure', key: 'sas' } },
};

/** The CronJob, restore Job and database pod specs with a bucket, point-in-time recovery on. */
function render(objectStore: MySqlObjectStoreProps) {
  const chart = testChart('shop');
  const db = new MySqlSingleNode(chart, 'orders', { rootPassword: ROOT, logicalBackup: { keepOnVolume: false, pointInTimeRecovery: true, objectStore } });
  db.addRestoreJob();
  const manifests = synthValid(chart);
  const cron = findObject(manifests, 'CronJob', 'orders-backup').spec.jobTemplate.spec.template.spec;
  const restore = findObject(manifests, 'Job', 'orders-restore').spec.template.spec;
  const server = findObject(manifests, 'Deployment', 'orders').spec.template.spec;
  const rclone = [...cron.containers, ...restore.initContainers, ...server.containers].filter((c: any) => c.image.startsWith('rclone/'));
  return { cron, restore, server, rclone, manifests };
}
const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('MySqlSingleNode object-store providers', () => {
  it('S3 stays the default provider', () => {
    const { rclone } = render({ destinationPath: 's3://backups/mysql', s3: KEYS });
    expect(rclone.map(c => c.name)).toEqual(['upload', 'download', 'binlog-upload']);
    for (const c of rclone) expect(envOf(c)).toMatchObject({ BACKUP_REMOTE: ':s3:backups/mysql', RCLONE_S3_NO_CHECK_BUCKET: 'true', RCLONE_S3_PROVIDER: 'AWS' });
  });

  it('GOOGLE: the gcs remote, the service-account key mounted read-only as a file in every rclone container, no ACLs', () => {
    const { cron, restore, server, rclone } = render(GCS);
    expect(rclone.map(c => c.name)).toEqual(['upload', 'download', 'binlog-upload']);
    for (const c of rclone) {
      expect(envOf(c)).toMatchObject({
        BACKUP_REMOTE: ':gcs:shop_backups/mysql/orders',
        RCLONE_GCS_SERVICE_ACCOUNT_FILE: '/etc/rclone/gcs/credentials.json',
        RCLONE_GCS_BUCKET_POLICY_ONLY: 'true',
        RCLONE_GCS_NO_CHECK_BUCKET: 'true',
      });
      expect(c.env.some((e: any) => /^RCLONE_(S3|AZUREBLOB)_/.test(e.name))).toBe(false);
      expect(c.volumeMounts).toContainEqual({ name: 'object-store-credentials', mountPath: '/etc/rclone/gcs', readOnly: true });
    }
    const volume = { name: 'object-store-credentials', secret: { secretName: 'gcs', defaultMode: 0o440, items: [{ key: 'key.json', path: 'credentials.json' }] } };
    for (const pod of [cron, restore, server]) expect(pod.volumes).toContainEqual(volume);
    // Only the rclone containers see the key.
    const others = [...cron.initContainers, ...restore.containers, ...server.containers].filter((c: any) => !c.image.startsWith('rclone/'));
    for (const c of others) expect((c.volumeMounts ?? []).map((m: any) => m.name)).not.toContain('object-store-credentials');
  });

  it('GOOGLE with workload identity: no key file, rclone reads the environment', () => {
    const { cron, rclone } = render({ ...GCS, google: { gkeEnvironment: true } });
    expect(envOf(rclone[0])).toMatchObject({ RCLONE_GCS_ENV_AUTH: 'true' });
    expect(envOf(rclone[0]).RCLONE_GCS_SERVICE_ACCOUNT_FILE).toBeUndefined();
    expect(cron.volumes.map((v: any) => v.name)).not.toContain('object-store-credentials');
  });

  it('AZURE with an account key: account and key from the Secret, the account\'s service URL', () => {
    const { rclone } = render(AZURE_KEY);
    for (const c of rclone) {
      expect(envOf(c)).toEqual(expect.objectContaining({
        BACKUP_REMOTE: ':azureblob:mysql/orders',
        RCLONE_AZUREBLOB_ENDPOINT: 'https://shopbackups.blob.core.windows.net',
        RCLONE_AZUREBLOB_ACCOUNT: { secretKeyRef: { name: 'azure', key: 'account' } },
        RCLONE_AZUREBLOB_KEY: { secretKeyRef: { name: 'azure', key: 'key' } },
      }));
      expect(c.volumeMounts.map((m: any) => m.name)).not.toContain('object-store-credentials');
    }
  });

  it('AZURE with a SAS token: the token from the Secret, expanded by the kubelet into the SAS URL after it', () => {
    const { rclone } = render(AZURE_SAS);
    for (const c of rclone) {
      const names = c.env.map((e: any) => e.name);
      expect(names.indexOf('AZURE_STORAGE_SAS_TOKEN')).toBeLessThan(names.indexOf('RCLONE_AZUREBLOB_SAS_URL'));
      expect(envOf(c)).toEqual(expect.objectContaining({
        AZURE_STORAGE_SAS_TOKEN: { secretKeyRef: { name: 'azure', key: 'sas' } },
        RCLONE_AZUREBLOB_SAS_URL: 'https://shopbackups.blob.core.windows.net/mysql?$(AZURE_STORAGE_SAS_TOKEN)',
      }));
      expect(envOf(c).RCLONE_AZUREBLOB_KEY).toBeUndefined();
    }
  });

  it('AZURE with workload identity, and an emulator\'s path-style destination', () => {
    const { rclone } = render({ provider: ObjectStoreProvider.AZURE, destinationPath: 'http://azurite.test.svc:10000/devstoreaccount1/backups/mysql', azure: { inheritFromAzureAd: true } });
    expect(envOf(rclone[0])).toMatchObject({ BACKUP_REMOTE: ':azureblob:backups/mysql', RCLONE_AZUREBLOB_ENDPOINT: 'http://azurite.test.svc:10000/devstoreaccount1', RCLONE_AZUREBLOB_ENV_AUTH: 'true' });
  });

  const bad: [string, MySqlObjectStoreProps, string[]][] = [
    ['a gs:// path with provider S3', { destinationPath: 'gs://b/x', s3: KEYS }, ['destinationPath']],
    ['an s3:// path with provider GOOGLE', { ...GCS, destinationPath: 's3://bucket/x' }, ['destinationPath']],
    ['an s3:// path with provider AZURE', { ...AZURE_KEY, destinationPath: 's3://bucket/x' }, ['destinationPath']],
    ['an Azure URL without a container', { ...AZURE_KEY, destinationPath: 'https://shopbackups.blob.core.windows.net' }, ['destinationPath']],
    ['an Azure container with capitals', { ...AZURE_KEY, destinationPath: 'https://shopbackups.blob.core.windows.net/MySql/x' }, ['destinationPath']],
    ['an Azure URL over plain http', { ...AZURE_KEY, destinationPath: 'http://shopbackups.blob.core.windows.net/mysql' }, ['destinationPath']],
    ['a gs:// bucket with capitals', { ...GCS, destinationPath: 'gs://Backups/x' }, ['destinationPath']],
    ['an unknown provider', { ...GCS, provider: 'dropbox' as any }, ['provider']],
    ['no Google credentials', { provider: ObjectStoreProvider.GOOGLE, destinationPath: 'gs://backups/x' }, ['google']],
    ['both a key and workload identity for Google', { ...GCS, google: { applicationCredentials: { secretName: 'gcs', key: 'k' }, gkeEnvironment: true } }, ['google']],
    ['a Google key that is not a reference', { ...GCS, google: { applicationCredentials: '{"type":"service_account"}' as any } }, ['google.applicationCredentials']],
    ['no Azure credentials', { provider: ObjectStoreProvider.AZURE, destinationPath: AZURE_KEY.destinationPath }, ['azure']],
    ['an Azure account without key or SAS', { ...AZURE_KEY, azure: { storageAccount: { secretName: 'azure', key: 'account' } } }, ['azure']],
    ['an Azure account with both key and SAS', { ...AZURE_KEY, azure: { ...AZURE_KEY.azure, storageSasToken: { secretName: 'azure', key: 'sas' } } }, ['azure']],
    ['an Azure key without an account', { ...AZURE_KEY, azure: { storageKey: { secretName: 'azure', key: 'key' } } }, ['azure']],
    ['an Azure connection string', { ...AZURE_KEY, azure: { connectionString: { secretName: 'azure', key: 'cs' } } }, ['azure.connectionString']],
    ['an Azure key and workload identity', { ...AZURE_KEY, azure: { ...AZURE_KEY.azure, inheritFromAzureAd: true } }, ['azure']],
    ['S3 credentials with provider GOOGLE', { ...GCS, s3: KEYS }, ['s3']],
    ['Google credentials with provider S3', { destinationPath: 's3://backups/x', s3: KEYS, google: GCS.google }, ['google']],
    ['Azure credentials with provider GOOGLE', { ...GCS, azure: AZURE_KEY.azure }, ['azure']],
    ['only Azure credentials with provider S3', { destinationPath: 's3://backups/x', azure: AZURE_KEY.azure }, ['s3', 'azure']],
    ['an endpoint with provider GOOGLE', { ...GCS, endpointUrl: 'https://storage.googleapis.com' }, ['endpointUrl']],
    ['an endpoint with provider AZURE', { ...AZURE_KEY, endpointUrl: 'https://shopbackups.blob.core.windows.net' }, ['endpointUrl']],
  ];
  it.each(bad)('rejects %s', (_, objectStore, fields) => {
    const chart = testChart('shop');
    try {
      new MySqlSingleNode(chart, 'orders', { rootPassword: ROOT, logicalBackup: { objectStore } });
      throw new Error('no ValidationError');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect([...new Set((e as ValidationError).fields)].sort()).toEqual(fields.map(f => `logicalBackup.objectStore.${f}`).sort());
    }
  });
});
