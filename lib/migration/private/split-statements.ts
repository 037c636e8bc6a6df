/** A piece of a MySQL file ending at a top-level `;`, and the line its first token is on. */
export interface StatementPiece {
  readonly text: string;
  readonly line: number;
}

/**
 * Cuts MySQL text at every `;` outside quotes (`'`, `"`, backticks) and comments (`#`, `-- `,
 * `/* *\/`). Pieces holding only comments and blanks are dropped. Only used to locate statements:
 * the parser judges each piece.
 */
export function splitStatements(content: string): StatementPiece[] {
  const out: StatementPiece[] = [];
  let start = 0; let first = -1; let line = 1; let firstLine = 1;
  const push = (end: number): void => {
    if (first >= 0) out.push({ text: content.slice(start, end), line: firstLine });
    start = end + 1; first = -1;
  };
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (c === '\n') { line++; continue; }
    if (c === '#' || (c === '-' && content.startsWith('-- ', i)) || (c === '-' && /^--(\r?\n|$)/.test(content.slice(i, i + 4)))) {
      while (i + 1 < content.length && content[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '/' && content[i + 1] === '*') {
      const end = content.indexOf('*/', i + 2);
      const stop = end < 0 ? content.length : end + 2;
      line += content.slice(i, stop).split('\n').length - 1;
      i = stop - 1;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (c === ';') { push(i); continue; }
    if (first < 0) { first = i; firstLine = line; }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < content.length && content[j] !== c) { if (content[j] === '\\' && c !== '`') j++; j++; }
      line += content.slice(i, j).split('\n').length - 1;
      i = j;
    }
  }
  push(content.length);
  return out;
}
