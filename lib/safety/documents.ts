import { Manifest } from './identity';

/**
 * Checks that a parsed document is a Kubernetes object as `kubectl apply` needs it (an object with
 * apiVersion, kind and metadata.name) and expands `kind: List`. Anything else is an error: a
 * document the gate skipped would still reach the cluster, or fail there, unreviewed.
 */
export function kubernetesObjects(value: unknown, where: string): Manifest[] {
  const what = describe(value);
  if (what !== 'object') throw new Error(`${where} is ${what}, not a Kubernetes object (apiVersion, kind, metadata.name)`);
  const obj = value as Manifest;
  const named = typeof obj.kind === 'string' && obj.kind !== '' ? `${where} (${obj.kind})` : where;
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new Error(`${where} has no kind`);
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') throw new Error(`${named} has no apiVersion`);
  if (obj.kind === 'List' || (obj.kind.endsWith('List') && Array.isArray(obj.items))) {
    if (!Array.isArray(obj.items)) throw new Error(`${named} has no items list`);
    return obj.items.flatMap((item: unknown, i: number) => kubernetesObjects(item, `item ${i + 1} of ${where}`));
  }
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || name === '') throw new Error(`${named} has no metadata.name (kubectl apply needs one)`);
  return [obj];
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'object';
  return `a ${typeof value}`;
}
