import { parseQuantity } from '../core/quantity';
import { KEEP_ON_PRUNE } from '../core/annotations';
import { CompareContext, RawFinding, RuleGroup, field, onHead, show } from './rule';
import { CNPG_GROUP, Manifest, annotationsOf, deepEqual, differingPaths, holdsData, isKind, isStatefulSet } from './identity';

/** Bytes of a quantity, or undefined when it does not parse. */
function bytes(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  try {
    const v = parseQuantity(q);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const DECREASE_WHY = 'Volumes cannot shrink: the API server rejects a smaller PVC request and CloudNativePG\'s webhook rejects a smaller Cluster storage size ("can\'t shrink existing storage"), so the apply or the Argo CD / Flux sync fails; a claim template at the smaller size is rejected as well.';
const DECREASE_SAFELY = 'Keep the size. To really shrink, create a new database with the smaller volume, copy the data (backup and restore, or replication), switch clients, then retire the old one.';
const CLASS_WHY = 'The storage class of an existing claim is immutable: the API server rejects the change, or (templates, operators) only new volumes get the new class, silently mixing classes.';
const CLASS_SAFELY = 'Keep the class. To migrate, create a new database (or new instances) on the new class and move the data with a backup/restore or replication before retiring the old volumes.';

/** Storage-size and class comparison of one claim spec (PVC, template, or CNPG storage). */
function compareStorage(out: RawFinding[], obj: Manifest, where: string, size: [unknown, unknown], cls: [unknown, unknown], resizeNote: string): void {
  const [bs, hs] = [bytes(size[0]), bytes(size[1])];
  if (bs !== undefined && hs !== undefined && hs < bs) {
    out.push({ id: 'storage-decreased', severity: 'blocking', obj, change: `${where}: storage ${show(size[0])} → ${show(size[1])}`, why: DECREASE_WHY, safely: DECREASE_SAFELY, ackOn: onHead(obj) });
  } else if (bs !== undefined && hs !== undefined && hs > bs && resizeNote) {
    out.push({ id: 'storage-expanded', severity: 'note', obj, change: `${where}: storage ${show(size[0])} → ${show(size[1])}`, why: resizeNote, safely: 'Check that the storage class has `allowVolumeExpansion: true` before merging.', ackOn: onHead(obj) });
  }
  if (!deepEqual(cls[0], cls[1])) {
    out.push({ id: 'storage-class-changed', severity: 'blocking', obj, change: `${where}: storage class ${show(cls[0])} → ${show(cls[1])}`, why: CLASS_WHY, safely: CLASS_SAFELY, ackOn: onHead(obj) });
  }
}

const RESIZE_NOTE = 'Growing a volume works only when its storage class allows volume expansion; the file system is grown online by most CSI drivers.';

function statefulSetTemplates(ctx: CompareContext, out: RawFinding[]): void {
  for (const { base, head } of ctx.pairs) {
    if (!isStatefulSet(base)) continue;
    const bt: Manifest[] = base.spec?.volumeClaimTemplates ?? [];
    const ht: Manifest[] = head.spec?.volumeClaimTemplates ?? [];
    const other: string[] = [];
    for (const b of bt) {
      const name = b.metadata?.name;
      const h = ht.find(t => t.metadata?.name === name);
      if (!h) { other.push(`template ${name} removed`); continue; }
      const before = out.length;
      compareStorage(out, head, `volume claim template ${name}`,
        [field(b, 'spec.resources.requests.storage'), field(h, 'spec.resources.requests.storage')],
        [b.spec?.storageClassName, h.spec?.storageClassName], '');
      if (out.length === before && !deepEqual(b, h)) {
        const bs = field(b, 'spec.resources.requests.storage'); const hs = field(h, 'spec.resources.requests.storage');
        other.push(bs !== hs ? `template ${name}: storage ${show(bs)} → ${show(hs)}` : `template ${name}: ${differingPaths(b, h).join(', ')} changed`);
      }
    }
    for (const h of ht) if (!bt.some(t => t.metadata?.name === h.metadata?.name)) other.push(`template ${h.metadata?.name} added`);
    if (other.length > 0) {
      out.push({
        id: 'claim-template-changed', severity: 'blocking', obj: head,
        change: other.join('; '),
        why: 'volumeClaimTemplates of a StatefulSet are immutable: the API server rejects the update ("updates to statefulset spec for fields other than ... are forbidden"), so the apply or sync fails; existing PVCs are never changed by the template.',
        safely: 'To grow volumes: patch each PVC (`kubectl patch pvc <template>-<sts>-<n>`) on an expandable storage class, then `kubectl delete statefulset <name> --cascade=orphan` and apply the new template (the pods keep running). Other template changes need a new StatefulSet and a data migration.',
        ackOn: onHead(head),
      });
    }
  }
}

const PVC_IMMUTABLE = ['accessModes', 'volumeMode', 'volumeName', 'selector', 'dataSource', 'dataSourceRef'];

function claims(ctx: CompareContext, out: RawFinding[]): void {
  for (const { base, head } of ctx.pairs) {
    if (!isKind(base, 'PersistentVolumeClaim', '')) continue;
    compareStorage(out, head, 'claim',
      [field(base, 'spec.resources.requests.storage'), field(head, 'spec.resources.requests.storage')],
      [base.spec?.storageClassName, head.spec?.storageClassName], RESIZE_NOTE);
    const changed = PVC_IMMUTABLE.filter(k => !deepEqual(base.spec?.[k], head.spec?.[k]));
    if (changed.length > 0) {
      out.push({
        id: 'pvc-spec-changed', severity: 'blocking', obj: head,
        change: changed.map(k => `${k} ${show(base.spec?.[k])} → ${show(head.spec?.[k])}`).join('; '),
        why: 'A bound PVC\'s spec is immutable except its storage request: the API server rejects the change and the apply or sync fails.',
        safely: 'Keep the claim as it is; for other access modes or sources, create a new claim and copy the data.',
        ackOn: onHead(head),
      });
    }
  }
}

function cnpgStorage(ctx: CompareContext, out: RawFinding[]): void {
  for (const { base, head } of ctx.pairs) {
    if (!isKind(base, 'Cluster', CNPG_GROUP)) continue;
    for (const key of ['storage', 'walStorage']) {
      const b = base.spec?.[key]; const h = head.spec?.[key];
      if (b && !h) {
        out.push({
          id: 'wal-storage-removed', severity: 'blocking', obj: head,
          change: `spec.${key} removed (was ${show(b.size)})`,
          why: 'CloudNativePG\'s webhook rejects it ("walStorage cannot be disabled once configured"): pg_wal of every instance lives on that volume, so the apply or sync fails.',
          safely: 'Keep the WAL volume. To drop it, create a new cluster without it, restored from a backup, and switch clients.',
          ackOn: onHead(head),
        });
        continue;
      }
      if (!b || !h) continue;
      compareStorage(out, head, `spec.${key}`, [b.size, h.size], [b.storageClass, h.storageClass], RESIZE_NOTE);
    }
  }
}

function retention(ctx: CompareContext, out: RawFinding[]): void {
  for (const { base, head } of ctx.pairs) {
    if (!isStatefulSet(base)) continue;
    for (const when of ['whenDeleted', 'whenScaled']) {
      const b = field(base, `spec.persistentVolumeClaimRetentionPolicy.${when}`) ?? 'Retain';
      const h = field(head, `spec.persistentVolumeClaimRetentionPolicy.${when}`) ?? 'Retain';
      if (b === 'Retain' && h === 'Delete') {
        out.push({
          id: 'pvc-retention-weakened', severity: 'blocking', obj: head,
          change: `persistentVolumeClaimRetentionPolicy.${when}: Retain → Delete`,
          why: when === 'whenDeleted'
            ? 'Deleting the StatefulSet (by mistake, by a rename, or by a pruning GitOps tool) would now delete every PVC and its data.'
            : 'Scaling the StatefulSet down would now delete the PVCs of the removed pods; scaling back up starts those pods empty.',
          safely: 'Keep Retain (the default of every construct here) and delete unneeded PVCs by hand after checking them.',
          ackOn: onHead(head),
        });
      }
    }
  }
}

function volumes(ctx: CompareContext, out: RawFinding[]): void {
  for (const { base, head } of ctx.pairs) {
    if (!isKind(base, 'PersistentVolume', '')) continue;
    const b = base.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    const h = head.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (b === 'Retain' && h !== 'Retain') {
      out.push({
        id: 'pvc-retention-weakened', severity: 'blocking', obj: head,
        change: `persistentVolumeReclaimPolicy: Retain → ${h}`,
        why: 'When its claim is deleted (a removed or renamed database, a pruning GitOps tool), the volume and its data are now deleted too instead of kept for recovery.',
        safely: 'Keep Retain on volumes that hold data; reclaim them by hand after checking them.',
        ackOn: onHead(head),
      });
    }
  }
}

function pruneProtection(ctx: CompareContext, out: RawFinding[]): void {
  for (const { base, head } of ctx.pairs) {
    if (!holdsData(base)) continue;
    const ba = annotationsOf(base); const ha = annotationsOf(head);
    const lost = Object.entries(KEEP_ON_PRUNE).filter(([k, v]) => ba[k] === v && ha[k] !== v).map(([k]) => k);
    if (lost.length === 0) continue;
    out.push({
      id: 'prune-protection-removed', severity: 'blocking', obj: head,
      change: `annotations removed: ${lost.join(', ')}`,
      why: 'These annotations stop Argo CD, Flux and Helm from deleting the object when it leaves the manifests; without them a later rename or removal deletes the data.',
      safely: 'Keep the annotations (the constructs add them to PVCs, CNPG Clusters and ObjectStores).',
      ackOn: onHead(head),
    });
  }
}

/** Claim templates, PVCs, CNPG storage, retention and prune protection. */
export const storageRules: RuleGroup = (ctx) => {
  const out: RawFinding[] = [];
  statefulSetTemplates(ctx, out);
  claims(ctx, out);
  cnpgStorage(ctx, out);
  retention(ctx, out);
  volumes(ctx, out);
  pruneProtection(ctx, out);
  return out;
};
