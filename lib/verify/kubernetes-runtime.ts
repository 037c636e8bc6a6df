import { compileCelRule } from './cel';

/*
 * The checks behind the Kubernetes keywords, as the cached validators call them at run time: kept
 * apart from the keyword definitions so that loading a cached validator does not load ajv.
 */

export type Check = ((data: any) => boolean) & { errors?: unknown[] };

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
