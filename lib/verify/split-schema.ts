import { digest } from './validator-cache';

/**
 * Moves every large subtree of a self-contained schema (a CRD's) into `definitions`, referred to
 * by `$ref`, identical subtrees once. Compiled with `inlineRefs: false`, each becomes a function of
 * its own instead of one function of megabytes: a pod template repeated in a CRD is generated once,
 * and a process compiles only the functions its objects reach (V8 compiles a function on its first
 * call, whole).
 *
 * What a validator finds is unchanged: errors keep their instance paths, and nothing under
 * `anyOf`/`oneOf`/`allOf`/`not` moves, so a union and the errors of its branches keep the schema
 * paths the messages fold them by.
 */
export function splitSchema(schema: any, minLength: number): any {
  const definitions: Record<string, any> = {};
  const split = (node: any, movable: boolean, inUnion: boolean): any => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    const out: any = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' || key === 'patternProperties') {
        out[key] = Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, split(child, !inUnion, inUnion)]));
      } else if (key === 'items' || key === 'additionalProperties') {
        out[key] = split(value, !inUnion, inUnion);
      } else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf' || key === 'not') {
        out[key] = Array.isArray(value) ? value.map(branch => split(branch, false, true)) : split(value, false, true);
      } else {
        out[key] = value;
      }
    }
    if (!movable) return out;
    const text = JSON.stringify(out);
    if (text.length < minLength) return out;
    const name = `s${digest(text).slice(0, 16)}`;
    definitions[name] ??= out;
    return { $ref: `#/definitions/${name}` };
  };
  const root = split(schema, false, false);
  return Object.keys(definitions).length === 0 ? root : { ...root, definitions };
}
