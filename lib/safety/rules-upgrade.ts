import { CompareContext, RawFinding, onHead } from './rule';
import { CNPG_GROUP, Manifest, isKind } from './identity';

/** The annotation PostgresMajorUpgrade writes on its client Service. */
export const UPGRADE_PHASE = 'data.cdk8s.io/upgrade-phase';
const ORDER: Record<string, number> = { replicate: 0, cutover: 1, retire: 2 };

function annotation(obj: Manifest, key: string): string | undefined {
  return obj.metadata?.annotations?.[key];
}

/** Whether the head has a Subscription on the new cluster of the upgrade. */
function subscribed(ctx: CompareContext, namespace: string, cluster: string | undefined): boolean {
  return ctx.head.objects.some(o => isKind(o, 'Subscription', CNPG_GROUP) && o.metadata?.namespace === namespace && o.spec?.cluster?.name === cluster);
}

/**
 * Blue/green major upgrades (PostgresMajorUpgrade): each change of phase is explained, and the
 * unsafe ones block: skipping a phase, going back, cutting over with nothing replicating.
 */
function phaseRules(ctx: CompareContext, out: RawFinding[]): void {
  const services: Array<{ base?: Manifest; head: Manifest }> = [
    ...ctx.pairs.filter(p => isKind(p.head, 'Service', '') && annotation(p.head, UPGRADE_PHASE) !== undefined),
    ...ctx.added.filter(o => isKind(o, 'Service', '') && annotation(o, UPGRADE_PHASE) !== undefined).map(head => ({ head })),
  ];
  for (const { base, head } of services) {
    const to = annotation(head, UPGRADE_PHASE)!;
    const from = base ? annotation(base, UPGRADE_PHASE) : undefined;
    const oldCluster = annotation(head, 'data.cdk8s.io/upgrade-from');
    const newCluster = annotation(head, 'data.cdk8s.io/upgrade-to');
    const ns = head.metadata?.namespace ?? '';
    if (from === to) continue;
    const change = `upgrade ${oldCluster} → ${newCluster}: phase ${from ?? '(new)'} → ${to}`;
    const push = (id: string, severity: 'blocking' | 'note', why: string, safely: string) => out.push({ id, severity, obj: head, change, why, safely, ackOn: onHead(head) });
    if (from === undefined) {
      if (to !== 'replicate') {
        push('upgrade-starts-at-cutover', 'blocking',
          'The client Service points at the new cluster from the start, but nothing has replicated the rows into it: clients see an empty (schema-only) database.',
          'Start with phase REPLICATE, wait until the subscription has copied the data, then move to CUTOVER.');
      }
      continue;
    }
    if (ORDER[to] < ORDER[from]) {
      push('upgrade-phase-reversed', 'blocking',
        `Clients move back to ${oldCluster}, which no longer receives what was written to ${newCluster} since the cutover: those writes are invisible to them, and new ids may collide.`,
        'Copy the data written since the cutover back first (a reverse publication and subscription), or stay on the new cluster and fix forward.');
    } else if (from === 'replicate' && to === 'retire') {
      push('upgrade-retire-before-cutover', 'blocking',
        'Retiring skips the cutover: the subscription is dropped before the sequence positions are copied and before anyone checked that the new cluster caught up; clients switch at the same moment.',
        'Apply phase CUTOVER first, check the sequence-sync Job succeeded, then RETIRE.');
    } else if (to === 'cutover') {
      if (!subscribed(ctx, ns, newCluster)) {
        push('upgrade-cutover-without-subscription', 'blocking',
          `No Subscription on ${newCluster} remains in these manifests: the cutover Job would wait for a subscription that does not exist, and clients would reach a cluster that stopped receiving rows.`,
          'Keep the Subscription of the upgrade (phase CUTOVER renders it) until the RETIRE phase.');
      } else {
        push('upgrade-cutover', 'note',
          `The client Service moves from the primary of ${oldCluster} to the primary of ${newCluster}; a Job waits until the subscription has confirmed the old cluster's WAL position, then copies sequence positions.`,
          'Stop writers (or make the old database read-only) before applying, so no write lands on the old cluster after the Job read its position; watch the Job complete, then move on to RETIRE.');
      }
    } else if (to === 'retire') {
      push('upgrade-retire', 'note',
        `The Subscription on ${newCluster} and the Publication on ${oldCluster} are dropped (with their replication slot). Nothing written to ${oldCluster} from now on reaches ${newCluster}.`,
        `Check that clients use ${newCluster} only, then remove ${oldCluster} from the app in a later, separate change.`);
    }
  }
}

/** A removed Cluster that a Subscription of the head still reads from (through its external cluster's host). */
function removedSources(ctx: CompareContext, out: RawFinding[]): void {
  for (const removed of ctx.removed) {
    if (!isKind(removed, 'Cluster', CNPG_GROUP)) continue;
    const ns = removed.metadata?.namespace ?? '';
    const host = new RegExp(`^${removed.metadata?.name}-(rw|r|ro)\\.${ns}(\\.|$)`);
    for (const sub of ctx.head.objects) {
      if (!isKind(sub, 'Subscription', CNPG_GROUP) || sub.metadata?.namespace !== ns) continue;
      const cluster = ctx.head.byKey.get(`${CNPG_GROUP}/Cluster/${ns}/${sub.spec?.cluster?.name}`);
      const entry = (cluster?.spec?.externalClusters ?? []).find((c: Manifest) => c.name === sub.spec?.externalClusterName);
      if (!entry || !host.test(String(entry.connectionParameters?.host ?? ''))) continue;
      out.push({
        id: 'subscription-source-removed', severity: 'blocking', obj: removed,
        change: `Cluster ${removed.metadata?.name} removed while Subscription ${sub.metadata?.name} still reads from it`,
        why: 'The subscription stops receiving rows: what was written to the removed cluster since its last sync is lost to the subscriber, and the subscriber retries a host that no longer exists.',
        safely: 'Drop the subscription first (the upgrade\'s RETIRE phase), check the subscriber has every row, then remove the cluster in a later change.',
        ackOn: [{ obj: removed, side: 'base' }, { obj: sub, side: 'head' }],
      });
    }
  }
}

/** Blue/green upgrade phases and subscriptions whose source disappears. */
export function upgradeRules(ctx: CompareContext, out: RawFinding[]): void {
  phaseRules(ctx, out);
  removedSources(ctx, out);
}
