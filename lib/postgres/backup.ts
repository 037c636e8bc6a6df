import { Cron, Duration } from 'cdk8s';
import { SecretKeyReference } from '../core/credentials';
import { ResourceProps } from '../core/resources';

/** Where the object store lives. */
export enum ObjectStoreProvider {
  /** Amazon S3 or an S3-compatible store (MinIO, Ceph, R2...). */
  S3 = 's3',
  /** Azure Blob Storage. */
  AZURE = 'azure',
  /** Google Cloud Storage. */
  GOOGLE = 'google',
}

/** Compression of archived WAL files. */
export enum WalCompression {
  BZIP2 = 'bzip2',
  GZIP = 'gzip',
  LZ4 = 'lz4',
  SNAPPY = 'snappy',
  XZ = 'xz',
  ZSTD = 'zstd',
}

/** Compression of base backups. */
export enum DataCompression {
  BZIP2 = 'bzip2',
  GZIP = 'gzip',
  LZ4 = 'lz4',
  SNAPPY = 'snappy',
}

/** Server-side encryption of backups in S3. */
export enum BackupEncryption {
  AES256 = 'AES256',
  AWS_KMS = 'aws:kms',
}

/** Which backup a ScheduledBackup takes. */
export enum BackupMethod {
  /** A base backup to the object store through the Barman Cloud plugin. */
  PLUGIN = 'plugin',
  /** CSI volume snapshots. */
  VOLUME_SNAPSHOT = 'volumeSnapshot',
}

/** Which instance a backup is taken from. */
export enum BackupTarget {
  PRIMARY = 'primary',
  /** A standby when one is ready, else the primary. */
  PREFER_STANDBY = 'prefer-standby',
}

/** S3 (or S3-compatible) credentials: Secret references, or the pod's IAM role (IRSA / EKS Pod Identity). */
export interface S3Credentials {
  /** Access key id. @default none (required unless inheritFromIamRole) */
  readonly accessKeyId?: SecretKeyReference;
  /** Secret access key. @default none (required unless inheritFromIamRole) */
  readonly secretAccessKey?: SecretKeyReference;
  /** Region. @default the SDK's default region resolution */
  readonly region?: SecretKeyReference;
  /** Session token for temporary credentials. @default none */
  readonly sessionToken?: SecretKeyReference;
  /** Use the IAM role of the pod's ServiceAccount instead of keys. @default false */
  readonly inheritFromIamRole?: boolean;
}

/** Azure Blob Storage credentials: Secret references, or workload identity. */
export interface AzureCredentials {
  /** A connection string. @default none */
  readonly connectionString?: SecretKeyReference;
  /** Storage account name (with storageKey or storageSasToken). @default none */
  readonly storageAccount?: SecretKeyReference;
  /** Storage account key. @default none */
  readonly storageKey?: SecretKeyReference;
  /** Shared access signature token. @default none */
  readonly storageSasToken?: SecretKeyReference;
  /** Use Azure AD workload identity. @default false */
  readonly inheritFromAzureAd?: boolean;
  /** Use the Azure SDK's DefaultAzureCredential chain. @default false */
  readonly useDefaultAzureCredentials?: boolean;
}

/** Google Cloud Storage credentials: a service-account key Secret, or GKE workload identity. */
export interface GoogleCredentials {
  /** Service account JSON key. @default none (required unless gkeEnvironment) */
  readonly applicationCredentials?: SecretKeyReference;
  /** Use GKE workload identity. @default false */
  readonly gkeEnvironment?: boolean;
}

/** An object store for base backups and WAL archives (a Barman Cloud `ObjectStore`). */
export interface ObjectStoreProps {
  /** The provider; decides which credentials apply and the scheme of `destinationPath`. */
  readonly provider: ObjectStoreProvider;
  /**
   * Bucket and path: `s3://bucket/path` (s3), `https://<account>.blob.core.windows.net/<container>/path`
   * (azure), `gs://bucket/path` (google).
   */
  readonly destinationPath: string;
  /** Endpoint of an S3-compatible store (MinIO, Ceph, R2...). @default the provider's endpoint */
  readonly endpointUrl?: string;
  /** CA bundle for a private endpoint. @default the system CAs */
  readonly endpointCa?: SecretKeyReference;
  /** S3 credentials (provider S3). @default none */
  readonly s3?: S3Credentials;
  /** Azure credentials (provider AZURE). @default none */
  readonly azure?: AzureCredentials;
  /** Google credentials (provider GOOGLE). @default none */
  readonly google?: GoogleCredentials;
  /** How long backups are kept: a number and `d` (days), `w` (weeks) or `m` (months). @default '30d' */
  readonly retention?: string;
  /** WAL compression. @default WalCompression.GZIP */
  readonly walCompression?: WalCompression;
  /** Base backup compression. @default DataCompression.GZIP */
  readonly dataCompression?: DataCompression;
  /** Server-side encryption. @default the bucket's default */
  readonly encryption?: BackupEncryption;
  /** Name of the ObjectStore resource. @default `<cluster>-backup` */
  readonly name?: string;
  /**
   * Resources of the plugin's sidecar in each instance pod (memory request equals limit).
   * @default cpu 100m, memory 256Mi
   */
  readonly sidecarResources?: ResourceProps;
  /** WAL files archived in parallel (raise it when WAL is produced faster than one upload). @default 1 */
  readonly walMaxParallel?: number;
  /** Parallel upload jobs of a base backup. @default 2 */
  readonly dataJobs?: number;
  /** Start a base backup with an immediate checkpoint (faster start, an I/O burst). @default false */
  readonly immediateCheckpoint?: boolean;
  /** Extra `barman-cloud-backup` options, e.g. `['--min-chunk-size=5MB']`. @default none */
  readonly backupExtraOptions?: string[];
  /** Extra `barman-cloud-wal-archive` options. @default none */
  readonly walArchiveExtraOptions?: string[];
  /** How often the plugin applies the retention policy. @default Duration.minutes(30) */
  readonly retentionCheckInterval?: Duration;
  /** Log level of the plugin's sidecar. @default BarmanLogLevel.INFO */
  readonly logLevel?: BarmanLogLevel;
}

/** Log level of the Barman Cloud plugin's sidecar. */
export enum BarmanLogLevel {
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
  DEBUG = 'debug',
  TRACE = 'trace',
}

/** Volume snapshot backups (CSI VolumeSnapshots of the data and WAL volumes). */
export interface VolumeSnapshotBackupProps {
  /** VolumeSnapshotClass of the data volume. */
  readonly className: string;
  /** VolumeSnapshotClass of the WAL volume. @default className */
  readonly walClassName?: string;
  /** Online (hot) snapshots; offline ones stop the instance being snapshotted. @default true */
  readonly online?: boolean;
}

/** Physical backups of a PostgresCluster. */
export interface BackupProps {
  /** Base backups and WAL archiving to an object store through the Barman Cloud plugin. @default none */
  readonly objectStore?: ObjectStoreProps;
  /** Volume snapshot backups. @default none */
  readonly volumeSnapshot?: VolumeSnapshotBackupProps;
  /**
   * When scheduled backups run (rendered as CloudNativePG's six-field form, `0 <five fields>`).
   * At most hourly.
   * @default Cron.schedule({ minute: '0', hour: '2' }) (02:00 every day, in the operator's time zone)
   */
  readonly schedule?: Cron;
  /** Which backup the ScheduledBackup takes. @default BackupMethod.PLUGIN when objectStore is set, else BackupMethod.VOLUME_SNAPSHOT */
  readonly method?: BackupMethod;
  /** Take a first backup as soon as the ScheduledBackup is created. @default true */
  readonly immediate?: boolean;
  /** Which instance the backup is taken from. @default BackupTarget.PREFER_STANDBY */
  readonly target?: BackupTarget;
  /** Pause scheduled backups (WAL archiving continues). @default false */
  readonly suspend?: boolean;
  /**
   * Folder of this cluster inside the object store. Change it when a new cluster takes over the name
   * of one whose backups are still in the same store.
   * @default the cluster name
   */
  readonly serverName?: string;
  /** Name of the ScheduledBackup resource. @default `<cluster>-backup` */
  readonly name?: string;
}

/** A one-off physical backup (CloudNativePG `Backup`), taken when the object is applied. */
export interface OnDemandBackupOptions {
  /** Name of the Backup object (a new name takes a new backup). @default `<cluster>-<id>` */
  readonly name?: string;
  /** How the backup is taken; the cluster's `backup` must declare the matching target. @default the method of `backup` */
  readonly method?: BackupMethod;
  /** Which instance the backup is taken from. @default the target of `backup` */
  readonly target?: BackupTarget;
}
