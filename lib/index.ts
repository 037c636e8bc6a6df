// The public API of cdk8s-data: constructs, their props, enums and factory classes, by name.
// Interfaces are exported as types only. The tools are subpaths: `cdk8s-data/verify`, `cdk8s-data/safety`.

// Shared vocabulary (docs/vocabulary.md)
export { Validation } from './core/validation';
export { Warnings } from './core/warnings';
export type { ConstructWarning } from './core/warnings';
export type { Problem } from './core/errors';
export { Credentials, SecretStoreKind } from './core/credentials';
export type { SecretKeyReference, SecretKeys, ExternalSecretSource } from './core/credentials';
export { DatabaseEngine } from './core/connection';
export type { ConnectionInfo, CredentialsSecret, IDatabase } from './core/connection';
export { NetworkPeer } from './core/network';
export type { EgressProps } from './core/egress';
export type { StorageProps } from './core/storage';
export type { ResourceProps } from './core/resources';
export { AlertSeverity } from './core/monitoring';
export type { MonitoringProps, AlertRule } from './core/monitoring';
export type { LogicalBackupOptions, RestoreJobOptions } from './core/logical-backup';

// MySQL
export { MySqlAccessMode, MySqlSingleNode, MySqlVersion, MySqlWorkload } from './mysql';
export type {
  MySqlConfig, MySqlLogicalBackupProps, MySqlMonitoringProps, MySqlObjectStoreProps, MySqlRestoreJobOptions, MySqlSingleNodeProps, MySqlStorageProps,
} from './mysql';

// PostgreSQL on CloudNativePG
export {
  AntiAffinity, BackupEncryption, BackupMethod, BackupTarget, BarmanLogLevel, Bootstrap, CloneSslMode, DataCompression, DataDurability, DatabaseReclaimPolicy,
  Ensure, ExternalCluster, ImageCatalogKind, ImagePullPolicy, ImportType, ObjectStoreProvider, PgDumpFormat, PoolMode, PoolerServiceType, PostgresCluster, PostgresMajorUpgrade,
  PostgresSecretKey, PostgresVersion, PrimaryUpdateMethod, PrimaryUpdateStrategy, SynchronousMethod, UpgradePhase, WalCompression, ZoneSpread,
} from './postgres';
export type {
  AzureCredentials, BackupProps, CloneProps, CloneTls, ClusterBackupSourceOptions, ClusterSourceOptions, DatabaseExtensionProps, DatabaseProps, ExtensionImageProps, ExternalServerProps,
  GoogleCredentials, ImageCatalogReference, ImportProps, InitdbProps, InstanceTimeoutsProps, NetworkProps, NodeMaintenanceProps, PostgresEgressProps, ObjectStoreProps, ObjectStoreSourceProps, OnDemandBackupOptions, PoolerProps, PoolerServiceTemplate,
  PostgresClusterProps, PostgresLogicalBackupProps, PostgresResourceProps, PostgresMajorUpgradeProps, PostgresMonitoringProps, PublicationProps, RecoveryObjectStore,
  RecoveryProps, RecoveryVolumeSnapshots, ReplicaProps, RoleProps, S3Credentials, SchedulingProps, SubscriptionProps, SynchronousReplicationProps,
  TablespaceProps, TlsProps, VolumeSnapshotBackupProps, WorkloadIdentityProps,
} from './postgres';

// Cassandra
export { CassandraDatacenter, CassandraRack, CassandraVersion, CassandraWorkload } from './cassandra';
export type { CassandraDatacenterProps, CassandraHeapProps, CassandraNodeProps, CassandraRackProps, CassandraRackSpec, CassandraSettings, CassandraMonitoringProps, CassandraRepairProps, CassandraBackupProps, CassandraRestoreProps } from './cassandra';

// Schema migrations
export { MigrationMode, Migrations, Schema, SchemaMigration } from './migration';
export type { FromDirectoryOptions, MigrationFile, SchemaMigrationProps } from './migration';
