export * from './schema-migration';
export * from './sources';
export { atlasSum, sha256Hex, MigrationFile } from './atlas-sum';
export { findDestructive, DestructiveHit } from './destructive';
export { POSTGRES_RUNNER, MYSQL_RUNNER, CASSANDRA_RUNNER } from './scripts';
