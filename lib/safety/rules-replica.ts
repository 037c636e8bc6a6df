import { CompareContext, RawFinding, onHead } from './rule';
import { CNPG_GROUP, Manifest, isKind } from './identity';

/** Whether a CNPG Cluster spec is a replica cluster (follows another cluster and refuses writes). */
export function isReplicaCluster(cluster: Manifest): boolean {
  const replica = cluster.spec?.replica;
  if (!replica) return false;
  if (replica.primary !== undefined) return replica.primary !== (replica.self ?? cluster.metadata?.name);
  return replica.enabled !== false;
}

/**
 * Replica clusters: promotion (the cluster starts accepting writes) and demotion (it stops).
 * Promoting without the token of the demoted primary can leave two primaries that diverge.
 */
export function replicaRules(ctx: CompareContext, out: RawFinding[]): void {
  for (const { base, head } of ctx.pairs) {
    if (!isKind(base, 'Cluster', CNPG_GROUP)) continue;
    const was = isReplicaCluster(base); const is = isReplicaCluster(head);
    if (was && !is) {
      const token = head.spec?.replica?.promotionToken;
      if (token === undefined) {
        out.push({
          id: 'cnpg-replica-promoted-without-token', severity: 'blocking', obj: head,
          change: 'replica cluster promoted to primary without spec.replica.promotionToken',
          why: 'The cluster starts accepting writes at once, from whatever WAL it has replayed. If the former primary is still running (or comes back), two primaries take writes and diverge; writes the replica had not received are lost.',
          safely: 'For a controlled switchover: demote the primary first (make it a replica), copy its status.demotionToken into replica.promotionToken here, and promote in a second change. If the primary is lost for good (disaster recovery), make sure it cannot come back, then acknowledge `cnpg-replica-promoted-without-token`.',
          ackOn: onHead(head),
        });
      } else {
        out.push({
          id: 'cnpg-replica-promoted', severity: 'note', obj: head,
          change: 'replica cluster promoted to primary with a promotion token',
          why: 'The operator waits until the cluster has replayed WAL up to the token, then promotes it: clients can write to it afterwards.',
          safely: 'Move clients to this cluster after the promotion completes; keep the demoted cluster as a replica of this one.',
          ackOn: onHead(head),
        });
      }
    } else if (!was && is) {
      out.push({
        id: 'cnpg-primary-demoted', severity: 'note', obj: head,
        change: 'primary cluster demoted to a replica cluster',
        why: 'The cluster stops accepting writes: clients still pointed at it fail until another cluster is promoted. The operator reports status.demotionToken when the demotion is done.',
        safely: 'Stop or move writers first; then copy status.demotionToken into the promotionToken of the cluster you promote.',
        ackOn: onHead(head),
      });
    }
    const baseRoles = new Map<string, Manifest>((base.spec?.managed?.roles ?? []).map((r: Manifest) => [r.name, r]));
    for (const role of head.spec?.managed?.roles ?? []) {
      if (role.superuser === true && baseRoles.get(role.name)?.superuser !== true && role.ensure !== 'absent') {
        out.push({
          id: 'role-superuser-granted', severity: 'blocking', obj: head,
          change: `managed role ${role.name}: superuser → true`,
          why: 'A superuser bypasses every permission check: whoever holds its password can read or drop every database and run programs on the server.',
          safely: 'Grant the privileges the task needs (a predefined role such as pg_read_all_data, or replication); if a superuser is really needed, acknowledge `role-superuser-granted`.',
          ackOn: onHead(head),
        });
      }
    }
  }
}
