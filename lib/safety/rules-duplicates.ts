import { displayName } from './identity';
import { RawFinding, RuleGroup } from './rule';

/**
 * The same object (group, kind, namespace, name) more than once in one manifest set. `kubectl
 * apply` applies every copy in turn, so each copy's change happens, while a review (and any tool
 * that keeps one copy per name) sees only one of them. Whichever copy wins, the set is ambiguous.
 */
export const duplicateRules: RuleGroup = (ctx) => {
  const out: RawFinding[] = [];
  for (const [side, index] of [['head', ctx.head], ['base', ctx.base]] as const) {
    for (const copies of index.duplicates()) {
      const obj = copies[copies.length - 1];
      out.push({
        id: 'duplicate-object', severity: 'blocking', obj,
        change: `${displayName(obj)} appears ${copies.length} times in the ${side} manifests`,
        why: 'kubectl apply applies every copy in order: a change in an earlier copy (a shrunk claim, a weakened retention policy) takes effect although the last copy looks unchanged, and the final state depends on file order.',
        safely: side === 'head'
          ? 'Render each object once: two constructs (or two calls such as addRestoreJob()) must not produce the same kind, namespace and name.'
          : 'The base set is ambiguous: fix it on the target branch first, so the comparison has one deployed version of each object.',
        ackOn: [],
      });
    }
  }
  return out;
};
