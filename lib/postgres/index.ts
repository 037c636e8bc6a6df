// The public API of the PostgreSQL area: constructs, props, enums and factory classes.
export { PostgresCluster } from './cluster';
export {
  AntiAffinity, DataDurability, PostgresSecretKey, PrimaryUpdateMethod, PrimaryUpdateStrategy, SynchronousMethod, ZoneSpread,
} from './cluster-props';
export type {
  ExtensionImageProps, NetworkProps, PostgresClusterProps, PostgresEgressProps, PostgresResourceProps, SchedulingProps, SynchronousReplicationProps, TlsProps, WorkloadIdentityProps,
} from './cluster-props';
export { Bootstrap, CloneSslMode, ImportType } from './bootstrap';
export type { CloneProps, CloneTls, ImportProps, InitdbProps, RecoveryObjectStore, RecoveryProps, RecoveryVolumeSnapshots } from './bootstrap';
export { BackupEncryption, BackupMethod, BarmanLogLevel, BackupTarget, DataCompression, ObjectStoreProvider, WalCompression } from './backup';
export type { AzureCredentials, BackupProps, GoogleCredentials, ObjectStoreProps, OnDemandBackupOptions, S3Credentials, VolumeSnapshotBackupProps } from './backup';
export { DatabaseReclaimPolicy } from './database';
export type { DatabaseExtensionProps, DatabaseProps } from './database';
export { Ensure } from './roles';
export type { RoleProps } from './roles';
export { PgDumpFormat } from './logical-backup';
export type { PostgresLogicalBackupProps } from './logical-backup';
export type { PostgresMonitoringProps } from './monitoring';
export { PoolMode, PoolerServiceType } from './pooler';
export type { PoolerProps, PoolerServiceTemplate } from './pooler';
export { ImageCatalogKind, PostgresVersion } from './version';
export type { ImageCatalogReference } from './version';
export { ExternalCluster } from './external-cluster';
export type { ClusterBackupSourceOptions, ClusterSourceOptions, ExternalServerProps, ObjectStoreSourceProps } from './external-cluster';
export type { ReplicaProps } from './replica';
export type { PublicationProps, SubscriptionProps } from './logical-replication';
export { PostgresMajorUpgrade, UpgradePhase } from './major-upgrade';
export type { PostgresMajorUpgradeProps } from './major-upgrade';
export { ImagePullPolicy } from './lifecycle';
export type { InstanceTimeoutsProps, NodeMaintenanceProps } from './lifecycle';
export type { TablespaceProps } from './tablespace';
