export { MySqlVersion } from './version';
export type { MySqlConfig } from './config';
export { MySqlAccessMode, MySqlWorkload } from './options';
export type { MySqlLogicalBackupProps, MySqlMonitoringProps, MySqlObjectStoreProps, MySqlRestoreJobOptions, MySqlStorageProps } from './options';
export { MySqlSingleNode } from './single-node';
export type { MySqlSingleNodeProps } from './single-node';
