export * from './core';
export { MySqlAccessMode, MySqlSingleNode, MySqlVersion, MySqlWorkload } from './mysql';
export type { MySqlConfig, MySqlLogicalBackupProps, MySqlMonitoringProps, MySqlSingleNodeProps, MySqlStorageProps } from './mysql';
export * from './postgres';
export * from './cassandra';
export * from './migration';
// Tools over rendered manifests keep their own namespaces: their names (Finding, Report, ...) are generic.
export * as verify from './verify';
export * as safety from './safety';
