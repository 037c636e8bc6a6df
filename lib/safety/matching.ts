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
    const h = head.get(key);
    if (h) pairs.push({ base: b, head: h }); else removed.push(b);
  }
  let added = [...head.byKey.entries()].filter(([key]) => !base.byKey.has(key)).map(([, h]) => h);

  const namespaceMoves: Pair[] = [];
  for (const b of removed.filter(o => tracked(o, base))) {
    const candidates = added.filter(h => groupKind(h) === groupKind(b) && h.metadata?.name === b.metadata?.name);
    if (candidates.length === 1) namespaceMoves.push({ base: b, head: candidates[0] });
  }
  removed = removed.filter(b => !namespaceMoves.some(m => m.base === b));
  added = added.filter(h => !namespaceMoves.some(m => m.head === h));

  const renames: (Pair & { evidence: string })[] = [];
  const sameKindAndNamespace = (b: Manifest, h: Manifest): boolean =>
    groupKind(h) === groupKind(b) && (h.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');
  // First by labels, then by spec shape; each match must be unique on both sides.
  const byLabels = (b: Manifest, h: Manifest): boolean => {
    const lb = labelsOf(b); const lh = labelsOf(h);
    return !!lb[INSTANCE] && lb[INSTANCE] === lh[INSTANCE] && lb[COMPONENT] === lh[COMPONENT];
  };
  const byShape = (b: Manifest, h: Manifest): boolean => specShape(b) === specShape(h);
  for (const [test, evidence] of [[byLabels, 'same app.kubernetes.io/instance and component labels'], [byShape, 'same spec shape']] as const) {
    const candidatesOf = new Map<Manifest, Manifest[]>();
    // A Cassandra rack under a new name is a new rack (new token ranges), reported as a removed rack.
    for (const b of removed.filter(o => tracked(o, base) && !isCassandraRack(o))) {
      candidatesOf.set(b, added.filter(h => sameKindAndNamespace(b, h) && test(b, h)));
    }
    for (const [b, candidates] of candidatesOf) {
      if (candidates.length !== 1) continue;
      const h = candidates[0];
      const rivals = [...candidatesOf.entries()].filter(([ob, cs]) => ob !== b && cs.includes(h));
      if (rivals.length > 0) continue;
      renames.push({ base: b, head: h, evidence });
    }
    removed = removed.filter(b => !renames.some(r => r.base === b));
    added = added.filter(h => !renames.some(r => r.head === h));
  }

  pairs.sort((x, y) => objectKey(x.base).localeCompare(objectKey(y.base)));
  return { base, head, pairs, removed, added, namespaceMoves, renames };
}
