/**
 * Detection of destructive statements in migration files. The same rule runs at synth time (here)
 * and in the Job runners (as `grep -n -i -E` with {@link DESTRUCTIVE_ERE}), so a file refused at
 * synth time is also refused by the runner, and the runner names the same line.
 *
 * The rule is deliberately simple and errs on the side of refusing: any `DROP` or `TRUNCATE`
 * keyword outside a whole-line comment counts, including `ALTER TABLE ... DROP COLUMN`, and also
 * the word inside a string literal or a trailing comment (a false positive the user can opt out of
 * with `allowDestructiveChanges`). Lines whose first non-blank characters are `--`, `//` or `#`
 * are comments and are skipped.
 */

/** POSIX extended regular expression used by the runners (with `grep -i`, in the C locale). */
export const DESTRUCTIVE_ERE = '(^|[^[:alnum:]_])(drop|truncate)([^[:alnum:]_]|$)';

/** POSIX extended regular expression for whole-line comments, applied to `grep -n` output lines (`N:text`). */
export const COMMENT_LINE_ERE = '^[0-9]+:[[:space:]]*(--|//|#)';

const DESTRUCTIVE = /(^|[^A-Za-z0-9_])(drop|truncate)([^A-Za-z0-9_]|$)/i;
const COMMENT_LINE = /^[ \t\r\f\v]*(--|\/\/|#)/;

/** A destructive statement found in a file. */
export interface DestructiveHit {
  /** 1-based line number. */
  readonly line: number;
  /** The line, trimmed. */
  readonly text: string;
}

/** The first destructive line of `content`, or undefined. */
export function findDestructive(content: string): DestructiveHit | undefined {
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (COMMENT_LINE.test(line)) continue;
    if (DESTRUCTIVE.test(line)) return { line: i + 1, text: line.trim() };
  }
  return undefined;
}
