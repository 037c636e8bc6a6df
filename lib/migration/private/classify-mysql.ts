import type { StatementVerdict } from './destructive';
import { splitStatements } from './split-statements';
import { loadOptionalParser, parserMissing } from './optional-parser';

/** Statement types that neither lose data nor run code the parser cannot see. */
const SAFE = new Set(['insert', 'replace', 'update', 'select', 'set', 'use', 'show', 'grant', 'lock', 'unlock', 'transaction']);
const SAFE_CREATE = new Set(['table', 'index', 'view', 'database', 'schema', 'user']);
/** ALTER TABLE actions that keep every row and column. */
const SAFE_ALTER = new Set(['add', 'algorithm', 'lock']);
const DESTRUCTIVE_ALTER: Record<string, string> = {
  drop: 'ALTER TABLE ... DROP', modify: 'ALTER TABLE ... MODIFY (a type change)',
  change: 'ALTER TABLE ... CHANGE (a rename or type change)', rename: 'ALTER TABLE ... RENAME (a rename)',
};

let parser: { astify(sql: string, opt: { database: string }): unknown } | undefined;

/**
 * Classifies every statement of a MySQL file; returns the first that needs the opt-in. The file
 * is cut at top-level `;` only to know where each statement starts; each piece is parsed on its
 * own, so a wrong cut can only make a piece unreadable, which refuses it.
 */
export function classifyMySql(content: string): StatementVerdict | undefined {
  if (!parser) {
    const module = loadOptionalParser<{ Parser: new () => any }>('node-sql-parser/build/mysql');
    if (!module) return { kind: 'unclassified', line: 1, what: parserMissing('node-sql-parser') };
    parser = new module.Parser();
  }
  for (const { text, line } of splitStatements(content)) {
    let ast: any;
    try {
      ast = parser!.astify(text, { database: 'MySQL' });
    } catch {
      return { kind: 'unclassified', line, what: 'a statement the MySQL parser cannot read (procedures, PREPARE and EXECUTE are not analysed)' };
    }
    for (const s of Array.isArray(ast) ? ast : [ast]) {
      const verdict = classify(s);
      if (verdict) return { ...verdict, line };
    }
  }
  return undefined;
}

function classify(s: any): Omit<StatementVerdict, 'line'> | undefined {
  switch (s?.type) {
    case 'drop': return { kind: 'destructive', what: `DROP ${String(s.keyword ?? '').toUpperCase()}`.trim() };
    case 'truncate': return { kind: 'destructive', what: 'TRUNCATE' };
    case 'rename': return { kind: 'destructive', what: 'RENAME TABLE (a rename)' };
    case 'delete': return s.where ? undefined : { kind: 'destructive', what: 'DELETE without WHERE' };
    case 'create': return SAFE_CREATE.has(s.keyword) ? undefined : { kind: 'unclassified', what: `a CREATE ${String(s.keyword).toUpperCase()} (its body is not analysed)` };
    case 'alter':
      for (const e of Array.isArray(s.expr) ? s.expr : []) {
        if (SAFE_ALTER.has(e.action)) continue;
        if (DESTRUCTIVE_ALTER[e.action]) return { kind: 'destructive', what: DESTRUCTIVE_ALTER[e.action] };
        return { kind: 'unclassified', what: `an ALTER TABLE ... ${String(e.action).toUpperCase()}` };
      }
      return Array.isArray(s.expr) ? undefined : { kind: 'unclassified', what: 'an ALTER statement (not known to be safe)' };
    default:
      return SAFE.has(s?.type) ? undefined : { kind: 'unclassified', what: `a ${String(s?.type).toUpperCase()} statement (not known to be safe)` };
  }
}
