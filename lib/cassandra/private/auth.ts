import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Credentials } from '../../core/credentials';
import { helperResources } from '../../core/resources';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../../core/security';
import { SUPERUSER_SCRIPT } from './scripts';

/** The official image's user and group. */
export const CASSANDRA_IDS = { uid: 999, gid: 999, fsGroup: 999 } as const;

/** What the superuser Job needs. */
export interface SuperuserJobOptions {
  /** Prefix of the Job's name (the datacenter's name). */
  readonly namePrefix: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly podLabels: Record<string, string>;
  readonly image: string;
  readonly serviceAccountName: string;
  readonly credentials: Credentials;
  /** DNS name of the client Service. */
  readonly cqlHost: string;
  readonly cqlPort: number;
  /** CQL replication map for `system_auth`, or undefined to leave it alone (multi-datacenter clusters). */
  readonly authReplication?: string;
  /** Nodes in the datacenter: a first start brings them up one at a time, and the Job may wait for all of them. */
  readonly nodes: number;
}

/** `system_auth` replication for a single-datacenter cluster: up to three replicas in the datacenter. */
export function authReplication(datacenterName: string, nodes: number): string {
  return `{'class': 'NetworkTopologyStrategy', '${datacenterName}': ${Math.min(3, nodes)}}`;
}

/**
 * A one-shot, bounded Job that creates the superuser from the Secret and drops the default
 * `cassandra` superuser (see SUPERUSER_SCRIPT). Its name carries a hash of its spec, so a changed
 * Job is a new object rather than a rejected update of an immutable one; re-running it is harmless.
 */
export function superuserJob(scope: Construct, id: string, o: SuperuserJobOptions): k8s.KubeJob {
  // Room for a first start of the whole datacenter, one node after the other (about 10 minutes each).
  const deadline = 3600 + 600 * o.nodes;
  const spec: k8s.JobSpec = {
    backoffLimit: 6,
    activeDeadlineSeconds: deadline,
    ttlSecondsAfterFinished: 86400,
    template: {
      metadata: { labels: o.podLabels },
      spec: {
        restartPolicy: 'Never',
        serviceAccountName: o.serviceAccountName,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: hardenedPodSecurityContext(CASSANDRA_IDS),
        containers: [{
          name: 'superuser',
          image: o.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['bash', '-c', SUPERUSER_SCRIPT],
          env: [
            { name: 'CQL_HOST', value: o.cqlHost },
            { name: 'CQL_PORT', value: String(o.cqlPort) },
            { name: 'SUPERUSER_NAME', valueFrom: { secretKeyRef: { name: o.credentials.secretName, key: o.credentials.usernameKey } } },
            { name: 'SUPERUSER_PASSWORD', valueFrom: { secretKeyRef: { name: o.credentials.secretName, key: o.credentials.passwordKey } } },
            { name: 'AUTH_REPLICATION', value: o.authReplication ?? '' },
            { name: 'SETUP_TIMEOUT_SECONDS', value: String(deadline - 300) },
            { name: 'RETRY_INTERVAL_SECONDS', value: '15' },
            // cqlsh keeps its history under $HOME; the root filesystem is read-only.
            { name: 'HOME', value: '/tmp' },
          ],
          resources: helperResources('100m', '256Mi'),
          securityContext: hardenedContainerSecurityContext(CASSANDRA_IDS),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        }],
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
      },
    },
  };
  const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 8);
  return new k8s.KubeJob(scope, id, {
    metadata: { name: `${o.namePrefix}-auth-${hash}`, namespace: o.namespace, labels: o.labels },
    spec,
  });
}
