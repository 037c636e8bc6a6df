import { Duration } from 'cdk8s';
import { Credentials } from '../core/credentials';
import { LogicalBackupOptions, RestoreJobOptions } from '../core/logical-backup';
import { MonitoringProps } from '../core/monitoring';
import { StorageProps } from '../core/storage';
import { ObjectStoreProvider } from '../postgres/backup';
import type { AzureCredentials, GoogleCredentials, S3Credentials } from '../postgres/backup';

/** The workload kind of a MySqlSingleNode. Both run exactly one pod on one volume. */
export enum MySqlWorkload {
  /** A Deployment with `strategy: Recreate` and a standalone claim. */
  DEPLOYMENT = 'Deployment',
  /** A one-replica StatefulSet with a claim template retained on delete and on scale-down. */
  STATEFUL_SET = 'StatefulSet',
}

/** Access mode of the data volume: a single writer either way. */
export enum MySqlAccessMode {
  /** One node may mount the volume. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /**
   * One pod may mount the volume (Kubernetes 1.29+ GA, CSI volumes only): also keeps a second
   * pod on the same node off it.
   */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
}

/** The data volume of a MySqlSingleNode. */
export interface MySqlStorageProps extends StorageProps {
  /**
   * Access mode of the claim.
   * @default MySqlAccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: MySqlAccessMode;
}

/**
 * Monitoring of a MySqlSingleNode: the mysqld-exporter sidecar on port 9104, its PodMonitor, the
 * scraper admitted by the NetworkPolicy, and a PrometheusRule with the built-in alerts (server
 * down, connections near `max_connections`, slow queries, InnoDB buffer pool pressure, volumes
 * filling, dumps failing or too old) plus `extraAlertRules`. The volume alerts read the kubelet's
 * `kubelet_volume_stats_*`, the dump alerts kube-state-metrics' Job and CronJob series.
 */
export interface MySqlMonitoringProps extends MonitoringProps {
  /**
   * The exporter's MySQL account (username and password keys of a Secret). Required when
   * monitoring is on. Create the account yourself, e.g. in an init script or once by hand:
   * `CREATE USER 'exporter'@'%' IDENTIFIED BY '...' WITH MAX_USER_CONNECTIONS 3;
   *  GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'%';`
   * @default none; required unless `enabled` is false
   */
  readonly exporterCredentials?: Credentials;
  /**
   * The exporter image, pinned.
   * @default 'prom/mysqld-exporter:v0.18.0'
   */
  readonly exporterImage?: string;
  /**
   * Render a PodMonitor (monitoring.coreos.com/v1) selecting the database pod's `metrics` port.
   * @default true
   */
  readonly podMonitor?: boolean;
  /**
   * Scrape interval of the PodMonitor.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * Age of the last successful dump (`logicalBackup`) that raises an alert.
   * @default the longest gap between two scheduled dumps plus 2 hours
   */
  readonly backupMaxAge?: Duration;
}

/**
 * Scheduled logical backups with mysqldump onto a retained volume of their own, restored with
 * `addRestoreJob()`.
 *
 * Defaults of the shared options: `schedule` 03:00 every day, `storage.size` '20Gi',
 * `startingDeadline` 30 minutes, `timeout` 2 hours, `keepFinishedJobsFor` 1 day.
 */
export interface MySqlLogicalBackupProps extends LogicalBackupOptions {
  /**
   * Databases to dump.
   * @default the `database` prop when set, else every non-system database, listed at run time
   */
  readonly databases?: string[];
  /**
   * Also copy every dump to a bucket off the cluster, with retention there; `addRestoreJob()`
   * can then read from the bucket (`fromObjectStore: true`).
   * @default none: dumps stay on the backup volume only
   */
  readonly objectStore?: MySqlObjectStoreProps;
  /**
   * Keep dumps on the retained backup volume. With `false` (which needs `objectStore`) no backup
   * claim is rendered: each dump is written to a scratch `emptyDir` sized by `storage.size`,
   * uploaded, and dropped with the pod.
   * @default true
   */
  readonly keepOnVolume?: boolean;
  /**
   * Point-in-time recovery: two sidecars in the database pod stream the binary logs from the
   * server as they are written (`mysqlbinlog --read-from-remote-server --raw --stop-never`) and
   * copy them to `<objectStore>/binlog` every minute; each dump records its binary log
   * coordinates. `addRestoreJob({ pointInTime })` then loads the newest dump taken before that
   * time and replays the binary logs up to it. Needs `objectStore` and binary logging on the
   * server (the MySQL 8 default). Binary logs in the bucket are not deleted: give the bucket a
   * lifecycle rule at least as long as the dumps' retention.
   * @default false
   */
  readonly pointInTimeRecovery?: boolean;
}

/**
 * A bucket receiving a MySqlSingleNode's dumps (and, with point-in-time recovery, its binary
 * logs): Amazon S3 or an S3-compatible store, Google Cloud Storage or Azure Blob Storage, written
 * and read with rclone in a container of its own (the MySQL image has no object storage client).
 * Credentials come from Secrets (environment variables or a mounted file), or from the workload
 * identity of the pods' ServiceAccount.
 */
export interface MySqlObjectStoreProps {
  /**
   * The provider; decides which credentials apply and the form of `destinationPath`.
   * @default ObjectStoreProvider.S3
   */
  readonly provider?: ObjectStoreProvider;
  /**
   * Bucket and optional path: `s3://bucket/path` (S3), `gs://bucket/path` (GOOGLE),
   * `https://<account>.blob.core.windows.net/<container>/path` (AZURE; an emulator such as
   * Azurite: `http://<host>:<port>/<account>/<container>/path`). The same forms as PostgreSQL's.
   */
  readonly destinationPath: string;
  /**
   * Endpoint of an S3-compatible store (MinIO, Ceph, R2...). Provider S3 only.
   * @default AWS S3
   */
  readonly endpointUrl?: string;
  /**
   * S3 credentials: access keys (Secret references) or the IAM role of the pod's ServiceAccount.
   * Required with provider S3.
   * @default none
   */
  readonly s3?: S3Credentials;
  /**
   * Google credentials: `applicationCredentials` (a service-account JSON key in a Secret,
   * mounted read-only as a file) or `gkeEnvironment: true` (workload identity). Required with
   * provider GOOGLE.
   * @default none
   */
  readonly google?: GoogleCredentials;
  /**
   * Azure credentials: `storageAccount` with `storageKey` or `storageSasToken` (a container or
   * account SAS, without the leading `?`), or `inheritFromAzureAd` / `useDefaultAzureCredentials`
   * (workload identity). `connectionString` is not supported (rclone does not read one).
   * Required with provider AZURE.
   * @default none
   */
  readonly azure?: AzureCredentials;
  /**
   * Dumps kept in the bucket; older ones are deleted after each successful upload.
   * @default the `keep` of `logicalBackup`
   */
  readonly keep?: number;
  /**
   * The rclone image of the upload and download containers, pinned.
   * @default 'rclone/rclone:1.68.2'
   */
  readonly image?: string;
}

/** Options of MySqlSingleNode's restore Job. */
export interface MySqlRestoreJobOptions extends RestoreJobOptions {
  /**
   * Read the dump from `logicalBackup.objectStore` instead of the backup volume (`file` then names
   * an object in the bucket).
   * @default true when `logicalBackup.keepOnVolume` is false, else false
   */
  readonly fromObjectStore?: boolean;
  /**
   * Restore the state at this time (second resolution; later writes are left out): the newest
   * dump in the bucket taken before it, then the archived binary logs up to it. Needs
   * `logicalBackup.pointInTimeRecovery`; implies `fromObjectStore`.
   * @default none: the dump alone
   */
  readonly pointInTime?: Date;
}
