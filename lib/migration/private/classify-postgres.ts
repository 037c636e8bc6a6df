import type { Statement } from 'pgsql-ast-parser';
import { loadOptionalParser, parserMissing } from './optional-parser';
import type { StatementVerdict } from './destructive';

/** Statement types that neither lose data nor run code the parser cannot see. */
const SAFE = new Set([
  'create table', 'create index', 'create view', 'create materialized view', 'create sequence', 'create enum',
  'create composite type', 'create extension', 'create schema', 'insert', 'update', 'select', 'union', 'union all',
  'values', 'comment', 'set', 'set timezone', 'set names', 'show', 'refresh materialized view', 'alter sequence',
  'begin', 'commit', 'rollback', 'start transaction',
]);
/** ALTER TABLE actions that keep every row and column. */
const SAFE_ALTER = new Set(['add column', 'add constraint', 'owner']);
const SAFE_ALTER_COLUMN = new Set(['set default', 'drop default', 'set not null', 'drop not null']);
const DESTRUCTIVE_ALTER: Record<string, string> = {
  'drop column': 'ALTER TABLE ... DROP COLUMN', 'drop constraint': 'ALTER TABLE ... DROP CONSTRAINT',
  'rename': 'ALTER TABLE ... RENAME TO (a rename)', 'rename column': 'ALTER TABLE ... RENAME COLUMN (a rename)',
  'rename constraint': 'ALTER TABLE ... RENAME CONSTRAINT (a rename)',
};
const UNCLASSIFIED: Record<string, string> = {
  'do': 'a DO block (its code, dynamic SQL included, is not analysed)',
  'create function': 'a CREATE FUNCTION (its body is not analysed)',
  'with': 'a WITH query (a data-modifying CTE may delete rows)',
};

let parser: typeof import('pgsql-ast-parser') | undefined;

/** Classifies every statement of a PostgreSQL file; returns the first that needs the opt-in. */
export function classifyPostgres(content: string): StatementVerdict | undefined {
  parser ??= loadOptionalParser<typeof import('pgsql-ast-parser')>('pgsql-ast-parser');
  if (!parser) return { kind: 'unclassified', line: 1, what: parserMissing('pgsql-ast-parser') };
  let statements: Statement[];
  try {
    statements = parser.parse(content, { locationTracking: true });
  } catch (e) {
    const line = Number(/line (\d+)/.exec((e as Error).message)?.[1] ?? 1);
    return { kind: 'unclassified', line, what: 'a statement the PostgreSQL parser cannot read' };
  }
  for (const s of statements) {
    const verdict = classify(s);
    if (verdict) return { ...verdict, line: lineAt(content, s._location?.start ?? 0) };
  }
  return undefined;
}

function classify(s: Statement): Omit<StatementVerdict, 'line'> | undefined {
  const type = s.type as string;
  if (type.startsWith('drop ')) return { kind: 'destructive', what: type.toUpperCase() };
  if (type === 'truncate table') return { kind: 'destructive', what: 'TRUNCATE' };
  if (type === 'delete') return (s as any).where ? undefined : { kind: 'destructive', what: 'DELETE without WHERE' };
  if (type === 'alter table') {
    for (const c of (s as any).changes ?? []) {
      if (SAFE_ALTER.has(c.type)) continue;
      if (c.type === 'alter column' && SAFE_ALTER_COLUMN.has(c.alter?.type)) continue;
      if (c.type === 'alter column' && c.alter?.type === 'set type') return { kind: 'destructive', what: 'ALTER COLUMN ... TYPE (a type change)' };
      if (DESTRUCTIVE_ALTER[c.type]) return { kind: 'destructive', what: DESTRUCTIVE_ALTER[c.type] };
      return { kind: 'unclassified', what: `an ALTER TABLE ... ${String(c.type).toUpperCase()}` };
    }
    return undefined;
  }
  if (type === 'alter index' && (s as any).change?.type === 'rename') return { kind: 'destructive', what: 'ALTER INDEX ... RENAME (a rename)' };
  if (SAFE.has(type)) return undefined;
  return { kind: 'unclassified', what: UNCLASSIFIED[type] ?? `a ${type.toUpperCase()} statement (not known to be safe)` };
}

function lineAt(content: string, offset: number): number {
  // The statement's location may start at leading comments or blank lines: skip to its first token.
  let i = offset;
  for (;;) {
    while (i < content.length && /\s/.test(content[i])) i++;
    if (content.startsWith('--', i)) { while (i < content.length && content[i] !== '\n') i++; continue; }
    if (content.startsWith('/*', i)) { const end = content.indexOf('*/', i + 2); i = end < 0 ? content.length : end + 2; continue; }
    break;
  }
  return content.slice(0, i).split('\n').length;
}
