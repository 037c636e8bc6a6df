import Ajv, { _, Code, SchemaObjCxt, stringify } from 'ajv';
import { compileCelRule } from './cel';
import { RUNTIME_MODULE } from './regex';

type Check = ((data: any) => boolean) & { errors?: unknown[] };

/** Checks that a list of type "set" or "map" has unique items or keys. */
export function listTypeCheck(listType: string, keys: string[]): Check {
  const check: Check = (data: any[]): boolean => {
    if (listType !== 'set' && listType !== 'map') return true;
    const seen = new Map<string, number>();
    for (let i = 0; i < data.length; i++) {
      const item = data[i];
      const key = listType === 'set' ? JSON.stringify(item) : JSON.stringify(keys.map(k => item?.[k] ?? null));
      const first = seen.get(key);
      if (first !== undefined) {
        check.errors = [{
          keyword: 'x-kubernetes-list-type',
          message: listType === 'set'
            ? `items ${first} and ${i} are identical; a list of type "set" needs unique items`
            : `items ${first} and ${i} have the same ${keys.join('/')}; a list of type "map" needs unique keys`,
          params: {},
        }];
        return false;
      }
      seen.set(key, i);
    }
    return true;
  };
  return check;
}

/** Evaluates the CEL rules of `x-kubernetes-validations` that the CEL subset supports. */
export function celCheck(rules: Array<{ rule: string; message?: string }>): Check {
  const compiled = rules.map(r => ({ rule: r.rule, message: r.message, evaluate: compileCelRule(r.rule) }))
    .filter(r => r.evaluate !== undefined);
  if (compiled.length === 0) return () => true;
  const check: Check = (data: any): boolean => {
    const failed = compiled.filter(r => r.evaluate!(data) === false);
    if (failed.length === 0) return true;
    check.errors = failed.map(r => ({
      keyword: 'x-kubernetes-validations',
      message: `${r.message ?? 'failed validation rule'} (rule: ${r.rule})`,
      params: {},
    }));
    return false;
  };
  return check;
}

/**
 * Registers a keyword's check with the code that rebuilds it, so that ajv's standalone code (the
 * on-disk validator cache) can recreate it: ajv reuses a scope value already registered for the
 * same function, and would otherwise hold only a reference to a function returned by `compile`.
 */
function withCode(it: SchemaObjCxt, check: Check, code: Code): Check {
  it.gen.scopeValue('keyword', { ref: check, code });
  return check;
}

/** Adds the Kubernetes list-type and CEL keywords to an ajv instance. */
export function addKubernetesKeywords(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-type',
    type: 'array',
    schemaType: 'string',
    errors: true,
    compile(listType: string, parentSchema: any, it: SchemaObjCxt) {
      const keys: string[] = parentSchema['x-kubernetes-list-map-keys'] ?? [];
      return withCode(it, listTypeCheck(listType, keys), _`require(${RUNTIME_MODULE}).listTypeCheck(${stringify(listType)}, ${stringify(keys)})`) as any;
    },
  });
  ajv.addKeyword({
    keyword: 'x-kubernetes-validations',
    schemaType: 'array',
    errors: true,
    compile(rules: Array<{ rule: string; message?: string }>, _parentSchema: any, it: SchemaObjCxt) {
      const kept = rules.map(r => ({ rule: r.rule, ...(r.message !== undefined ? { message: r.message } : {}) }));
      return withCode(it, celCheck(kept), _`require(${RUNTIME_MODULE}).celCheck(${stringify(kept)})`) as any;
    },
  });
}
