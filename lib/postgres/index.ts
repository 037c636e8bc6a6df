export { PostgresCluster } from './cluster';
export {
  AntiAffinity, DataDurability, NetworkProps, PostgresClusterProps, PostgresSecretKey, PrimaryUpdateMethod, PrimaryUpdateStrategy,
  SchedulingProps, SynchronousMethod, SynchronousReplicationProps, TlsProps, WorkloadIdentityProps, ZoneSpread,
} from './cluster-props';
export { Bootstrap, CloneProps, CloneSslMode, CloneTls, InitdbProps, RecoveryObjectStore, RecoveryProps, RecoveryVolumeSnapshots } from './bootstrap';
export {
  AzureCredentials, BackupEncryption, BackupMethod, BackupProps, BackupTarget, DataCompression, GoogleCredentials, ObjectStoreProps, ObjectStoreProvider,
  S3Credentials, VolumeSnapshotBackupProps, WalCompression,
} from './backup';
export { DatabaseProps, DatabaseReclaimPolicy } from './database';
export { Ensure, RoleProps } from './roles';
export { PgDumpFormat, PostgresLogicalBackupProps } from './logical-backup';
export { PostgresMonitoringProps } from './monitoring';
export { PoolMode, PoolerProps } from './pooler';
export { ImageCatalogKind, ImageCatalogReference, PostgresVersion } from './version';
