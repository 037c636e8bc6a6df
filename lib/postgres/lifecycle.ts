import { Duration } from 'cdk8s';

/** When the kubelet pulls the instance image. */
export enum ImagePullPolicy {
  /** Pull when the node does not have the image (right for pinned tags). */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Pull on every start. */
  ALWAYS = 'Always',
  /** Never pull (the image is preloaded on the nodes). */
  NEVER = 'Never',
}

/** Time limits of an instance's start, stop, switchover and failover (CloudNativePG `startDelay`, `stopDelay`, ...). */
export interface InstanceTimeoutsProps {
  /** How long an instance may take to start (crash recovery of a large database takes long). @default Duration.hours(1) */
  readonly startupTimeout?: Duration;
  /** How long an instance may take to stop before it is killed. @default Duration.minutes(30) */
  readonly terminationGracePeriod?: Duration;
  /** Part of `terminationGracePeriod` given to a smart shutdown (waiting for clients) before a fast one. @default Duration.minutes(3) */
  readonly smartShutdownTimeout?: Duration;
  /** How long the primary may take to shut down cleanly during a switchover. @default Duration.hours(1) */
  readonly switchoverTimeout?: Duration;
  /** How long a failed primary is waited for before a failover. @default no wait */
  readonly failoverDelay?: Duration;
}

/** Kubernetes node maintenance (CloudNativePG `nodeMaintenanceWindow`). */
export interface NodeMaintenanceProps {
  /** A maintenance is in progress: the disruption budget is relaxed so nodes can drain. */
  readonly inProgress: boolean;
  /** Wait for the drained node to come back and reuse its volume (false: re-create the instance elsewhere). @default true */
  readonly reuseVolumes?: boolean;
}
