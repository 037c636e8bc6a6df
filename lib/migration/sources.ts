import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { basename, resolve } from 'path';
import { SchemaSource } from './private/source';

/** One file of a versioned migration directory, given in code (`Migrations.fromFiles`). */
export interface MigrationFile {
  /** File name, `<version>_<description>.sql` (`.cql` for Cassandra), e.g. `0001_create_orders.sql`. */
  readonly name: string;
  /** File content, exactly as it is applied. */
  readonly content: string;
}

/**
 * The desired schema for declarative (Atlas) migrations: SQL `CREATE` statements describing the
 * end state; the Atlas Operator computes and applies the difference.
 */
export class Schema {
  /**
   * SQL from a file, read at synth time and rendered into a ConfigMap that the AtlasSchema
   * references. A relative path is resolved from the current working directory (the project
   * root when run through `npm run synth` or `cdk8s synth`).
   */
  public static fromFile(path: string): Schema {
    const full = resolve(path);
    try {
      return new Schema({ kind: 'file', path: full, sql: readFileSync(full, 'utf8') });
    } catch (e) {
      return new Schema({ kind: 'file', path: full, error: (e as Error).message });
    }
  }

  /** SQL given as a string, rendered inline into the AtlasSchema. */
  public static inline(sql: string): Schema {
    return new Schema({ kind: 'inline', sql });
  }

  /** SQL held in an existing ConfigMap (in the target's namespace) under `key`. */
  public static fromConfigMap(name: string, key: string): Schema {
    return new Schema({ kind: 'configMap', name, key });
  }

  /**
   * Where the SQL comes from; read by SchemaMigration.
   * @internal
   */
  public readonly _source: SchemaSource;

  private constructor(source: SchemaSource) {
    this._source = source;
  }
}

/** A problem found while reading migrations, with its fix (reported by SchemaMigration). */
interface LoadProblem {
  readonly problem: string;
  readonly fix: string;
}

/** Options for reading a migration directory. */
export interface FromDirectoryOptions {
  /**
   * Further files to ignore (exact names). `atlas.sum` is always read separately, and
   * `README*` files and dotfiles are ignored.
   * @default none
   */
  readonly ignore?: string[];
}

/**
 * Versioned migrations: files named `<version>_<description>.sql` (`.cql` for Cassandra), applied
 * once each, in version order. Versions are digits; they must be unique and sort the same way as
 * numbers and as text (pad them: `0001_`, `0002_`, ... or timestamps), because Atlas orders files by
 * name.
 *
 * For Cassandra targets, `${DATACENTER}` in a file is replaced at synth time with the target
 * datacenter's name, so keyspaces can use `NetworkTopologyStrategy` without retyping it.
 */
export class Migrations {
  /**
   * Reads every `.sql` and `.cql` file of a directory at synth time, sorted by name. An
   * `atlas.sum` file, when present, is checked against the files. A relative path is resolved from
   * the current working directory.
   */
  public static fromDirectory(dir: string, options: FromDirectoryOptions = {}): Migrations {
    const full = resolve(dir);
    if (!existsSync(full) || !statSync(full).isDirectory()) {
      return new Migrations([], undefined, [{ problem: `directory ${full} does not exist`, fix: 'give the path of a migration directory (relative paths start at the current directory)' }], full);
    }
    const ignore = new Set(options.ignore ?? []);
    const problems: LoadProblem[] = [];
    const files: MigrationFile[] = [];
    let sum: string | undefined;
    const names = readdirSync(full).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      if (name.startsWith('.') || /^readme/i.test(name) || ignore.has(name)) continue;
      const path = `${full}/${name}`;
      if (!statSync(path).isFile()) continue;
      if (name === 'atlas.sum') {
        sum = readFileSync(path, 'utf8');
      } else if (/\.(sql|cql)$/.test(name)) {
        files.push({ name, content: readFileSync(path, 'utf8') });
      } else {
        problems.push({ problem: `${name} is neither a .sql nor a .cql migration file`, fix: 'list it in `ignore` to skip it, or move it out of the directory' });
      }
    }
    if (files.length === 0) problems.push({ problem: `directory ${full} holds no .sql or .cql migration files`, fix: 'add migration files, or point at the right directory' });
    return new Migrations(files, sum, problems, full);
  }

  /**
   * Migration files given in code, in the order they must apply. `atlasSum`, when given, is checked
   * against them.
   */
  public static fromFiles(files: MigrationFile[], atlasSum?: string): Migrations {
    return new Migrations(files.map(f => ({ name: f.name, content: f.content })), atlasSum, [], undefined);
  }

  /**
   * A Cassandra migration that creates a keyspace replicated with `NetworkTopologyStrategy` in the
   * target's datacenter: `CREATE KEYSPACE IF NOT EXISTS <keyspace> WITH replication =
   * {'class': 'NetworkTopologyStrategy', '<datacenter>': <replicationFactor>}`. Combine it with
   * other files through `concat`.
   * @param version the file's version @default '0000'
   */
  public static cassandraKeyspace(keyspace: string, replicationFactor: number, version = '0000'): Migrations {
    const problems: LoadProblem[] = [];
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,47}$/.test(keyspace)) {
      problems.push({ problem: `Migrations.cassandraKeyspace: keyspace name ${JSON.stringify(keyspace)} is not valid`, fix: 'use letters, digits and "_", starting with a letter, at most 48 characters' });
    }
    if (!Number.isInteger(replicationFactor) || replicationFactor < 1 || replicationFactor > 99) {
      problems.push({ problem: `Migrations.cassandraKeyspace: replication factor ${JSON.stringify(replicationFactor)} is not a whole number from 1 to 99`, fix: 'give the number of copies per datacenter (3 is usual)' });
    }
    const name = `${version}_create_keyspace_${keyspace.toLowerCase()}.cql`;
    const content = `-- Keyspace ${keyspace}, replicated in the target datacenter.\n`
      + `CREATE KEYSPACE IF NOT EXISTS ${keyspace}\n`
      + `  WITH replication = {'class': 'NetworkTopologyStrategy', '\${DATACENTER}': ${replicationFactor}};\n`;
    return new Migrations([{ name, content }], undefined, problems, undefined);
  }

  /** The files, in the order given (validated by SchemaMigration). @internal */
  public readonly _files: MigrationFile[];
  /** The `atlas.sum` that came with the files, if any. @internal */
  public readonly _atlasSum?: string;
  /** Problems found while reading (reported by SchemaMigration as validation errors). @internal */
  public readonly _loadProblems: LoadProblem[];
  /** The directory read, if any. @internal */
  private readonly directory?: string;

  private constructor(files: MigrationFile[], atlasSum: string | undefined, loadProblems: LoadProblem[], directory: string | undefined) {
    this._files = files;
    this._atlasSum = atlasSum;
    this._loadProblems = loadProblems;
    this.directory = directory;
  }

  /** These files followed by `other`'s (an `atlas.sum` is dropped: it no longer covers the set). */
  public concat(other: Migrations): Migrations {
    return new Migrations([...this._files, ...other._files], undefined, [...this._loadProblems, ...other._loadProblems], undefined);
  }

  /** Short description for messages. @internal */
  public _describe(): string {
    return this.directory ? `directory ${basename(this.directory)}` : `${this._files.length} file(s)`;
  }
}
