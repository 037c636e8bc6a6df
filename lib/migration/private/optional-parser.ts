/**
 * Loads an SQL parser. The parsers are optional dependencies of the package (installed by default,
 * not bundled); without one, a file cannot be shown safe, so it is refused like an unreadable one.
 */
export function loadOptionalParser<T>(module: string): T | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(module) as T;
  } catch {
    return undefined;
  }
}

/** What a file needs when its parser is not installed. */
export function parserMissing(module: string): string {
  return `a statement that cannot be checked: the SQL parser "${module}" (an optional dependency of cdk8s-data) is not installed`;
}
