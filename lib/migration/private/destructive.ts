import { DatabaseEngine } from '../../core/connection';
import { classifyMySql } from './classify-mysql';
import { classifyPostgres } from './classify-postgres';

/**
 * Detection of destructive statements in migration files, at synth time. PostgreSQL and MySQL
 * files are read with a real SQL parser and every statement is classified: a drop, a TRUNCATE, a
 * DELETE without WHERE, a column type change or a rename is destructive; a statement the parser
 * cannot read or whose effect it cannot see (DO blocks and other dynamic SQL, functions,
 * procedures) is unclassified and needs the same opt-in. CQL has no parser here: any DROP or
 * TRUNCATE keyword outside a whole-line comment counts.
 *
 * The Job runners do not parse: they apply only files whose checksum the synth-time check passed
 * (see `reviewedChecksums`), so both checks refuse exactly the same files.
 */

/** A statement that needs `allowDestructiveChanges`. */
export interface DestructiveHit {
  /** `destructive`: it loses data; `unclassified`: the parser cannot tell that it does not. */
  readonly kind: 'destructive' | 'unclassified';
  /** 1-based line where the statement starts. */
  readonly line: number;
  /** What the statement is, e.g. `DROP TABLE` or `DO block`. */
  readonly what: string;
  /** The statement's first line, trimmed. */
  readonly text: string;
}

/** A statement's verdict from one engine's classifier. */
export interface StatementVerdict {
  readonly kind: 'destructive' | 'unclassified';
  readonly line: number;
  readonly what: string;
}

const CQL_DESTRUCTIVE = /(^|[^A-Za-z0-9_])(drop|truncate)([^A-Za-z0-9_]|$)/i;
const COMMENT_LINE = /^[ \t\r\f\v]*(--|\/\/|#)/;

/** The first statement of `content` that needs `allowDestructiveChanges`, or undefined. */
export function findDestructive(content: string, engine: DatabaseEngine): DestructiveHit | undefined {
  const lines = content.split('\n');
  const hit = (v: StatementVerdict | undefined): DestructiveHit | undefined =>
    v && { ...v, text: (lines[v.line - 1] ?? '').trim() };
  switch (engine) {
    case DatabaseEngine.POSTGRESQL: return hit(classifyPostgres(content));
    case DatabaseEngine.MYSQL: return hit(classifyMySql(content));
    default: {
      const i = lines.findIndex(l => !COMMENT_LINE.test(l) && CQL_DESTRUCTIVE.test(l));
      return i < 0 ? undefined : { kind: 'destructive', line: i + 1, what: CQL_DESTRUCTIVE.exec(lines[i])![2].toUpperCase(), text: lines[i].trim() };
    }
  }
}
