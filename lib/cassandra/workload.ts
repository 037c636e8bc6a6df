/** The kind of workload that runs a rack's nodes. */
export enum CassandraWorkload {
  /** The built-in StatefulSet (`apps/v1`): `OrderedReady`, rolling updates that recreate each pod. */
  STATEFUL_SET = 'StatefulSet',
  /**
   * OpenKruise's Advanced StatefulSet (`apps.kruise.io/v1beta1`, needs OpenKruise installed):
   * an image-only change updates the pods in place (the container restarts, the pod, its IP and
   * its node stay), `maxUnavailable` bounds the nodes updated at once, claims are retained as
   * with a StatefulSet. Pods are managed in parallel (`maxUnavailable` works only then); first
   * starts stay one node at a time through the first-start gate.
   */
  ADVANCED_STATEFUL_SET = 'AdvancedStatefulSet',
}
