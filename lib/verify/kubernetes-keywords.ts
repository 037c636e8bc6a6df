import Ajv, { _, Code, SchemaObjCxt, stringify } from 'ajv';
import { Check, celCheck, listTypeCheck } from './kubernetes-runtime';
import { RUNTIME_MODULE } from './regex';

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
