import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SecretKeyReference } from '../../core/credentials';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../../core/security';
import { POSTGRES_PORT } from './constants';
import { SEQUENCE_SYNC_SCRIPT } from './sequence-sync';

const UID = 26; // the postgres user of the CloudNativePG images

/** What the cutover Job connects to. */
export interface SequenceSyncJobProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly subscription: string;
  readonly timeoutSeconds: number;
  readonly source: { readonly host: string; readonly database: string; readonly user: string; readonly password: SecretKeyReference };
  readonly target: { readonly host: string; readonly database: string; readonly secret: string };
}

/** The bounded, run-once Job that waits for the subscription and copies sequence positions, with its ServiceAccount. */
export function renderSequenceSyncJob(scope: Construct, p: SequenceSyncJobProps): k8s.KubeJob {
  const metadata = { name: p.name, namespace: p.namespace, labels: p.labels };
  new k8s.KubeServiceAccount(scope, 'SequenceSyncServiceAccount', { metadata, automountServiceAccountToken: false });
  const env: k8s.EnvVar[] = [
    { name: 'PGHOST', value: p.target.host },
    { name: 'PGPORT', value: String(POSTGRES_PORT) },
    { name: 'PGDATABASE', value: p.target.database },
    { name: 'PGUSER', valueFrom: { secretKeyRef: { name: p.target.secret, key: 'username' } } },
    { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: p.target.secret, key: 'password' } } },
    { name: 'PGSSLMODE', value: 'require' },
    { name: 'PGCONNECT_TIMEOUT', value: '10' },
    { name: 'SOURCE_PGHOST', value: p.source.host },
    { name: 'SOURCE_PGPORT', value: String(POSTGRES_PORT) },
    { name: 'SOURCE_PGDATABASE', value: p.source.database },
    { name: 'SOURCE_PGUSER', value: p.source.user },
    { name: 'SOURCE_PGPASSWORD', valueFrom: { secretKeyRef: { name: p.source.password.secretName, key: p.source.password.key } } },
    { name: 'SUBSCRIPTION', value: p.subscription },
    { name: 'HOME', value: '/tmp' },
  ];
  return new k8s.KubeJob(scope, 'SequenceSync', {
    metadata,
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: p.timeoutSeconds,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: { ...p.labels } },
        spec: {
          serviceAccountName: p.name,
          automountServiceAccountToken: false,
          restartPolicy: 'Never',
          securityContext: hardenedPodSecurityContext({ uid: UID, gid: UID }),
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } }],
          containers: [{
            name: 'sequence-sync',
            image: p.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/bash', '-c', SEQUENCE_SYNC_SCRIPT],
            env,
            resources: {
              requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
              limits: { memory: k8s.Quantity.fromString('64Mi') },
            },
            securityContext: hardenedContainerSecurityContext({ uid: UID, gid: UID }),
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
        },
      },
    },
  });
}
