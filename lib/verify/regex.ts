/**
 * Compiles the regular expressions of Kubernetes and CRD schemas, which are written for Go's RE2,
 * into JavaScript ones: inline flags such as `(?i)` become RegExp flags, `\z` and `\A` become
 * anchors, POSIX classes are expanded, and escapes JavaScript's unicode mode rejects (`\ `) are
 * read without it. A pattern that still cannot be compiled is recorded and not enforced.
 */
const POSIX: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\r\\n\\v\\f',
  xdigit: '0-9A-Fa-f', punct: '!-\\/:-@\\[-`{-~', word: 'A-Za-z0-9_',
};

/** Patterns that could not be translated and are not enforced. */
export const SKIPPED_PATTERNS = new Set<string>();

function translate(pattern: string): { source: string; flags: string } {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('s')) flags += 's';
    if (inline[1].includes('m')) flags += 'm';
  }
  source = source.replace(/^\^\(\?([ims]+)\)/, (_m, f: string) => {
    if (f.includes('i') && !flags.includes('i')) flags += 'i';
    return '^';
  });
  source = source.replace(/\\z/g, '$').replace(/\\A/g, '^');
  source = source.replace(/\[:(\w+):\]/g, (m, name: string) => POSIX[name] ?? m);
  return { source, flags };
}

/** An ajv `code.regExp` engine for RE2-flavoured patterns. */
export function re2Compatible(pattern: string, u: string): RegExp {
  const { source, flags } = translate(pattern);
  try {
    return new RegExp(source, flags + u);
  } catch {
    try {
      return new RegExp(source, flags);
    } catch {
      SKIPPED_PATTERNS.add(pattern);
      return /(?:)/;
    }
  }
}
/** The module name through which cached standalone validators reach this package's functions (see validator-cache.ts). */
export const RUNTIME_MODULE = 'cdk8s-data:verify-runtime';
// Standalone code calls the same translation, not a plain RegExp.
(re2Compatible as any).code = `require(${JSON.stringify(RUNTIME_MODULE)}).re2Compatible`;
