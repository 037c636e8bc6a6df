import { DatabaseEngine } from '../../core/connection';
import { Problems } from '../../core/errors';
import { MigrationMode } from '../mode';
import { MigrationFile, Migrations } from '../sources';
import { atlasSum } from './atlas-sum';
import { findDestructive } from './destructive';

const VERSIONED_FILE = /^([0-9]+)_([A-Za-z0-9_.-]+)\.(sql|cql)$/;
const TXN_CONTROL = /^[ \t]*(BEGIN|COMMIT|ROLLBACK|START[ \t]+TRANSACTION)[ \t]*;/im;
/** What one ConfigMap holds, with room for its metadata (the API server's limit is 1 MiB). */
export const MAX_CONFIGMAP_BYTES = 900 * 1024;

/** What the file checks need to know about the target and the migration. */
export interface FileRules {
  readonly engine: DatabaseEngine;
  readonly mode: MigrationMode;
  readonly datacenter?: string;
  readonly allowDestructive: boolean;
}

/**
 * Checks versioned migration files: names, extension, version order, content (destructive
 * statements, transaction control, one CQL statement per line) and a given atlas.sum. Returns the
 * files as they will be applied (Cassandra's `${DATACENTER}` rendered).
 */
export function checkMigrationFiles(problems: Problems, migrations: Migrations, rules: FileRules): MigrationFile[] {
  for (const p of migrations._loadProblems) problems.add('migrations', migrations._describe(), p.problem, p.fix);
  if (migrations._files.length === 0 && migrations._loadProblems.length === 0) {
    problems.add('migrations', migrations._describe(), 'holds no migration files, so the migration would do nothing', 'give at least one file, or remove the SchemaMigration');
  }
  const ext = rules.engine === DatabaseEngine.CASSANDRA ? 'cql' : 'sql';
  const files: MigrationFile[] = [];
  let previous: { name: string; version: bigint } | undefined;
  for (const file of migrations._files) {
    const m = VERSIONED_FILE.exec(file.name);
    if (!m) {
      problems.add('migrations', file.name, 'is not named <version>_<description>.<sql|cql>', 'name files like 0001_create_orders.sql (version digits, "_", a description of letters, digits, "_", "-" or ".")');
      continue;
    }
    if (m[3] !== ext) {
      problems.add('migrations', file.name, `is a .${m[3]} file but the target is ${rules.engine}`, `use .${ext} files for ${rules.engine} targets`);
      continue;
    }
    const version = BigInt(m[1]);
    if (previous) checkOrder(problems, previous, file.name, version);
    previous = { name: file.name, version };
    const content = checkContent(problems, file, rules);
    if (content !== undefined) files.push({ name: file.name, content });
  }
  if (migrations._atlasSum !== undefined && files.length === migrations._files.length && rules.engine !== DatabaseEngine.CASSANDRA) {
    problems.check(migrations._atlasSum === atlasSum(files), 'migrations', 'atlas.sum', 'does not match the migration files (a file was edited or added after `atlas migrate hash`)',
      'run `atlas migrate hash` in the directory, or delete atlas.sum and let the library compute it');
  }
  const total = files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
  problems.check(total <= MAX_CONFIGMAP_BYTES, 'migrations', `${total} bytes`, 'the files do not fit in one ConfigMap (1 MiB limit)', 'squash old migrations into a baseline file');
  return files;
}

/** Versions are unique, ascending, and sort the same way by name (Atlas and the runners order by name). */
function checkOrder(problems: Problems, previous: { name: string; version: bigint }, name: string, version: bigint): void {
  if (version === previous.version) {
    problems.add('migrations', name, `has the same version as ${previous.name}`, 'give each file its own version');
  } else if (version < previous.version) {
    problems.add('migrations', name, `has a lower version than ${previous.name}, which comes before it`, 'list files in version order');
  } else if (Buffer.compare(Buffer.from(previous.name), Buffer.from(name)) >= 0) {
    problems.add('migrations', name, `sorts before ${previous.name} by name although its version is higher (Atlas and the runner order files by name)`, 'pad versions with zeros to one width, e.g. 0002 and 0010');
  }
}

/** Checks one file's content; returns it as applied, or undefined when it is empty. */
function checkContent(problems: Problems, file: MigrationFile, rules: FileRules): string | undefined {
  let content = file.content;
  if (typeof content !== 'string' || content.trim() === '') {
    problems.add('migrations', file.name, 'is empty', 'put at least one statement in it or remove it');
    return undefined;
  }
  if (rules.engine === DatabaseEngine.CASSANDRA) {
    content = renderDatacenter(problems, file.name, content, rules.datacenter);
    // The runner splits statements at a ';' that ends a line, and waits for schema agreement after each.
    const index = content.split('\n').findIndex(l => !/^[ \t]*(--|\/\/)/.test(l) && /;[ \t]*(?!--|\/\/)\S/.test(l));
    if (index >= 0) {
      problems.add('migrations', `${file.name}:${index + 1}`, 'holds more than one statement on a line (the runner splits statements at a ";" that ends a line)',
        'put each statement on its own line(s), ending with ";"');
    }
  }
  if (!rules.allowDestructive) {
    const hit = findDestructive(content, rules.engine);
    if (hit?.kind === 'destructive') {
      problems.add('migrations', `${file.name}:${hit.line}`, `holds a destructive statement (${hit.what}): ${hit.text}`,
        'remove it, or set `allowDestructiveChanges: true` if losing that data is intended');
    } else if (hit) {
      problems.add('migrations', `${file.name}:${hit.line}`, `holds ${hit.what}, so whether it loses data cannot be checked; it needs the same opt-in as a drop: ${hit.text}`,
        'write it as plain DDL, or review it and set `allowDestructiveChanges: true`');
    }
  }
  if (rules.engine === DatabaseEngine.POSTGRESQL && rules.mode === MigrationMode.JOB) {
    const txn = TXN_CONTROL.exec(content);
    if (txn) {
      const line = content.slice(0, txn.index).split('\n').length + (content[txn.index] === '\n' ? 1 : 0);
      problems.add('migrations', `${file.name}:${line}`, `controls the transaction (${txn[1]}), but the runner applies each file in one transaction with its tracking row`,
        'remove BEGIN/COMMIT from the file');
    }
  }
  return content;
}

/** Replaces `${DATACENTER}` in a Cassandra file with the target datacenter's name. */
function renderDatacenter(problems: Problems, name: string, content: string, datacenter: string | undefined): string {
  if (!content.includes('${DATACENTER}')) return content;
  if (datacenter) return content.split('${DATACENTER}').join(datacenter);
  problems.add('migrations', name, 'uses ${DATACENTER} but the target has no datacenter name', 'declare the datacenter on the Cassandra construct');
  return content;
}
