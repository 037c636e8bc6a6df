import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { helperPolicy, HelperPolicyProps } from '../../core/egress';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../../core/security';
import { CASSANDRA_IDS } from './auth';

/** What a datacenter's scheduled Job (repairs, backups) varies. */
export interface HelperCronJob {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly serviceAccountName: string;
  readonly schedule: string;
  readonly timeZone: string;
  readonly startingDeadlineSeconds: number;
  readonly timeoutSeconds: number;
  readonly keepFinishedSeconds: number;
  /** The one container: its name, image, command, env and resources (hardened and given /tmp here). */
  readonly container: Pick<k8s.Container, 'name' | 'image' | 'command' | 'env' | 'resources'>;
  /** Egress settings of the datacenter; undefined leaves egress open. */
  readonly egress?: HelperPolicyProps['egress'];
  /** The node pods and ports the Job connects to (allowed when egress is restricted). */
  readonly databases?: HelperPolicyProps['databases'];
}

/**
 * A CronJob whose runs never overlap and are never retried (a retry would start the work again
 * while the nodes may still do the first), bounded and kept for inspection, with a hardened pod
 * that has no API token and a writable /tmp; and a NetworkPolicy admitting nothing into its pods.
 */
export function renderHelperCronJob(scope: Construct, id: string, c: HelperCronJob): void {
  new k8s.KubeCronJob(scope, id, {
    metadata: { name: c.name, namespace: c.namespace, labels: c.labels },
    spec: {
      schedule: c.schedule,
      timeZone: c.timeZone,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: c.startingDeadlineSeconds,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels: c.labels },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: c.timeoutSeconds,
          ttlSecondsAfterFinished: c.keepFinishedSeconds,
          template: {
            metadata: { labels: c.labels },
            spec: {
              restartPolicy: 'Never',
              serviceAccountName: c.serviceAccountName,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: hardenedPodSecurityContext(CASSANDRA_IDS),
              containers: [{
                ...c.container,
                imagePullPolicy: 'IfNotPresent',
                securityContext: hardenedContainerSecurityContext(CASSANDRA_IDS),
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              }],
              volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
            },
          },
        },
      },
    },
  });
  helperPolicy(scope, `${id}Network`, { name: c.name, namespace: c.namespace, podSelector: c.selector, labels: c.labels, egress: c.egress, databases: c.databases });
}
