/** Placeholder: CEL rules are not evaluated yet. */
export function compileCelRule(_rule: string): ((self: any) => boolean | undefined) | undefined {
  return undefined;
}
