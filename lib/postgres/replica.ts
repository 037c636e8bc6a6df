import { Duration } from 'cdk8s';
import type { ExternalCluster } from './external-cluster';

/**
 * A replica cluster (`spec.replica`): it follows `source` (streaming from a live server, or WAL from
 * an object store) and accepts no writes until it is promoted.
 *
 * Distributed topology: every cluster of the topology lists every other one in `externalClusters`
 * and names the same `primary`; changing `primary` in all of them is a controlled switchover.
 */
export interface ReplicaProps {
  /** The cluster to follow. Also the bootstrap source when `bootstrap` is not given. */
  readonly source: ExternalCluster;
  /**
   * Whether the cluster is a replica now; `false` promotes it (give `promotionToken` when the former
   * primary was demoted). Not used with `primary`.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Distributed topology: the name of the cluster that is primary (this cluster's own name, or an
   * `externalClusters` entry). This cluster is a replica unless it is named here.
   * @default no distributed topology (use `enabled`)
   */
  readonly primary?: string;
  /** Distributed topology: this cluster's name in the topology (CloudNativePG `self`). @default the cluster's name */
  readonly selfName?: string;
  /**
   * The token the demoted primary reported (`status.demotionToken`); the promotion waits until this
   * cluster has replayed up to it, so no committed write is lost.
   * @default none (the safety gate blocks a promotion without one)
   */
  readonly promotionToken?: string;
  /** Apply WAL this long after it was written (a delayed replica guards against mistakes). @default no delay */
  readonly minApplyDelay?: Duration;
}
