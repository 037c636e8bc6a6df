export { MigrationMode } from './mode';
export { SchemaMigration } from './schema-migration';
export type { SchemaMigrationProps } from './schema-migration';
export { Migrations, Schema } from './sources';
export type { FromDirectoryOptions, MigrationFile } from './sources';
