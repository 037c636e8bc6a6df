import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** The user and group a container image runs as. */
export interface RunAsIds {
  readonly uid: number;
  readonly gid: number;
  /** Group that owns mounted volumes. @default the gid */
  readonly fsGroup?: number;
}

/** Pod-level context of the Pod Security Standards "restricted" profile. */
export function hardenedPodSecurityContext(ids: RunAsIds): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: ids.uid,
    runAsGroup: ids.gid,
    fsGroup: ids.fsGroup ?? ids.gid,
    // Avoids a recursive chown of a large data volume on every start.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level context: no privilege escalation, no capabilities, read-only root. */
export function hardenedContainerSecurityContext(ids?: RunAsIds): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    ...(ids ? { runAsUser: ids.uid, runAsGroup: ids.gid } : {}),
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * A dedicated ServiceAccount whose token is not mounted into pods. Pass `namespace` when the
 * construct's namespace may differ from the chart's (otherwise the chart's applies).
 */
export function dedicatedServiceAccount(scope: Construct, id: string, name: string, labels: Record<string, string>, namespace?: string): ApiObject {
  return new k8s.KubeServiceAccount(scope, id, {
    metadata: { name, labels, ...(namespace ? { namespace } : {}) },
    automountServiceAccountToken: false,
  });
}
