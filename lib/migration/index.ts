export * from './schema-migration';
export * from './sources';
export { atlasSum, sha256Hex } from './atlas-sum';
export type { MigrationFile } from './atlas-sum';
export { findDestructive } from './destructive';
export type { DestructiveHit } from './destructive';
export { POSTGRES_RUNNER, MYSQL_RUNNER, CASSANDRA_RUNNER } from './scripts';
