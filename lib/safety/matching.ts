import { CompareContext, Pair } from './rule';
import { isCassandraRack } from './rules-removal';
import { Manifest, ManifestIndex, groupKind, holdsData, isClientService, labelsOf, objectKey, specShape } from './identity';

const INSTANCE = 'app.kubernetes.io/instance';
const COMPONENT = 'app.kubernetes.io/component';

/** Is this base object one whose rename or move loses data or clients? */
function tracked(obj: Manifest, index: ManifestIndex): boolean {
  return holdsData(obj) || isClientService(obj, index);
}

/**
 * Matches base and head objects by identity, then explains the leftovers: a data-bearing object
 * that disappears while one of the same kind and name appears in another namespace moved
 * namespace; one that disappears while one of the same kind appears in its namespace with the same
 * `app.kubernetes.io/instance` and `component` labels, or the same spec shape (when that match is
 * unique), was renamed. Whatever is left is removed or added.
 */
export function matchManifests(baseObjects: readonly Manifest[], headObjects: readonly Manifest[]): CompareContext {
  const base = new ManifestIndex(baseObjects);
  const head = new ManifestIndex(headObjects);
  const pairs: Pair[] = [];
  let removed: Manifest[] = [];
  for (const [key, b] of base.byKey) {
    // Every head copy is compared: kubectl applies each one, so an earlier copy's change happens too.
    const hs = head.copies.get(key);
    if (hs) for (const h of hs) pairs.push({ base: b, head: h }); else removed.push(b);
  }
  let added = [...head.byKey.entries()].filter(([key]) => !base.byKey.has(key)).map(([, h]) => h);

  /** Groups objects by a key, keeping their order. */
  const bucket = (objs: readonly Manifest[], keyOf: (o: Manifest) => string): Map<string, Manifest[]> => {
    const m = new Map<string, Manifest[]>();
    for (const o of objs) { const k = keyOf(o); const list = m.get(k); if (list) list.push(o); else m.set(k, [o]); }
    return m;
  };

  const namespaceMoves: Pair[] = [];
  const byKindAndName = bucket(added, o => `${groupKind(o)}|${o.metadata?.name}`);
  for (const b of removed.filter(o => tracked(o, base))) {
    const candidates = byKindAndName.get(`${groupKind(b)}|${b.metadata?.name}`) ?? [];
    if (candidates.length === 1) namespaceMoves.push({ base: b, head: candidates[0] });
  }
  const moved = new Set<Manifest>(namespaceMoves.flatMap(m => [m.base, m.head]));
  removed = removed.filter(b => !moved.has(b));
  added = added.filter(h => !moved.has(h));

  const renames: (Pair & { evidence: string })[] = [];
  // First by labels, then by spec shape; each match must be unique on both sides.
  const labelKey = (o: Manifest): string | undefined => {
    const l = labelsOf(o);
    return l[INSTANCE] ? `${l[INSTANCE]}|${l[COMPONENT] ?? ''}` : undefined;
  };
  const shapes = new Map<Manifest, string>();
  const shapeKey = (o: Manifest): string => {
    let v = shapes.get(o);
    if (v === undefined) { v = specShape(o); shapes.set(o, v); }
    return v;
  };
  const place = (o: Manifest): string => `${groupKind(o)}|${o.metadata?.namespace ?? ''}`;
  for (const [keyOf, evidence] of [[labelKey, 'same app.kubernetes.io/instance and component labels'], [shapeKey, 'same spec shape']] as const) {
    const candidatesByKey = bucket(added.filter(h => keyOf(h) !== undefined), h => `${place(h)}|${keyOf(h)}`);
    const candidatesOf = new Map<Manifest, Manifest[]>();
    // A Cassandra rack under a new name is a new rack (new token ranges), reported as a removed rack.
    for (const b of removed.filter(o => tracked(o, base) && !isCassandraRack(o))) {
      const k = keyOf(b);
      candidatesOf.set(b, k === undefined ? [] : (candidatesByKey.get(`${place(b)}|${k}`) ?? []));
    }
    const claims = new Map<Manifest, number>();
    for (const cs of candidatesOf.values()) for (const h of cs) claims.set(h, (claims.get(h) ?? 0) + 1);
    const renamed = new Set<Manifest>();
    for (const [b, candidates] of candidatesOf) {
      if (candidates.length !== 1 || claims.get(candidates[0]) !== 1) continue;
      renames.push({ base: b, head: candidates[0], evidence });
      renamed.add(b).add(candidates[0]);
    }
    removed = removed.filter(b => !renamed.has(b));
    added = added.filter(h => !renamed.has(h));
  }

  pairs.sort((x, y) => objectKey(x.base).localeCompare(objectKey(y.base)));
  return { base, head, pairs, removed, added, namespaceMoves, renames };
}
