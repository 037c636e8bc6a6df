import * as fc from 'fast-check';
import { MigrationMode, Migrations, Schema, SchemaMigrationProps } from '../../../lib/migration';

const statement = fc.constantFrom('CREATE TABLE t%d (id int);', 'ALTER TABLE t ADD COLUMN c%d int;', 'CREATE INDEX i%d ON t (id);', '-- drop comment %d\nSELECT 1;', 'DROP TABLE t%d;');
const file = fc.record({
  pad: fc.constantFrom(true, true, true, false),
  desc: fc.constantFrom('init', 'add_x', 'more.v2', 'Bad Name'),
  stmt: statement,
  wrongExt: fc.constantFrom(false, false, false, false, false, true),
});

/** A target engine and SchemaMigration props without the target: files in or out of order, bad names, destructive statements. */
export const schemaMigrationCase: fc.Arbitrary<{ engine: 'postgresql' | 'mysql' | 'cassandra'; props: Omit<SchemaMigrationProps, 'target'> }> = fc.tuple(
  fc.constantFrom<'postgresql' | 'mysql' | 'cassandra'>('postgresql', 'mysql', 'cassandra'),
  fc.constantFrom(undefined, undefined, MigrationMode.ATLAS, MigrationMode.JOB),
  fc.constantFrom('schema', 'migrations', 'migrations', 'both', 'none'),
  fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 0, maxLength: 4 }),
  fc.array(file, { minLength: 4, maxLength: 4 }),
  fc.boolean(),
  fc.boolean(),
  fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,60}$/), { nil: undefined }),
  fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }),
  fc.option(fc.integer({ min: -1, max: 30 }), { nil: undefined }),
).map(([engine, mode, source, rawVersions, shapes, shuffle, allow, name, wave, retries]) => {
  const versions = shuffle ? rawVersions : [...rawVersions].sort((a, b) => a - b);
  const ext = engine === 'cassandra' ? 'cql' : 'sql';
  const files = versions.map((v, i) => ({
    name: `${shapes[i].pad ? String(v).padStart(4, '0') : v}_${shapes[i].desc}.${shapes[i].wrongExt ? (ext === 'sql' ? 'cql' : 'sql') : ext}`,
    content: `${shapes[i].stmt.replace('%d', String(v))}\n`,
  }));
  return {
    engine,
    props: {
      mode, allowDestructiveChanges: allow, name, argoSyncWave: wave, retries,
      ...(source === 'schema' || source === 'both' ? { schema: Schema.inline('CREATE TABLE t (id int);') } : {}),
      ...(source === 'migrations' || source === 'both' ? { migrations: Migrations.fromFiles(files) } : {}),
    },
  };
});
