import { IConstruct } from 'constructs';
import { Problems } from './errors';

/** Per app (construct tree root): `<kind> <namespace>/<name>` → path of the construct that claimed it. */
const claims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Claims a name for `scope` in its app: a second claim of the same kind, namespace and name is a
 * problem under `field`, since both would render the same objects and `kubectl apply` keeps only
 * the last. Returns whether the claim succeeded.
 */
export function claimName(problems: Problems, scope: IConstruct, field: string, what: { kind: string; namespace: string; name: string; fix: string }): boolean {
  const root = scope.node.root;
  let taken = claims.get(root);
  if (!taken) {
    taken = new Map();
    claims.set(root, taken);
  }
  const key = `${what.kind} ${what.namespace}/${what.name}`;
  const owner = taken.get(key);
  if (owner !== undefined) {
    problems.add(field, what.name, `is already the name of the ${what.kind} at ${owner || '(root)'} in namespace "${what.namespace}", so both would render the same objects`, what.fix);
    return false;
  }
  taken.set(key, scope.node.path);
  return true;
}
