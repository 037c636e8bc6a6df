import { k8s } from 'cdk8s-plus-28';
import { SecretKeyReference, checkSecretKeyReference } from '../../core/credentials';
import { Problems } from '../../core/errors';
import { checkImage } from '../../core/image';
import { checkInteger } from '../../core/quantity';
import type { S3Credentials } from '../../postgres/backup';
import { MySqlObjectStoreProps } from '../options';

/** The pinned rclone image of the upload and download containers. */
export const RCLONE_IMAGE = 'rclone/rclone:1.68.2';

const DESTINATION = /^s3:\/\/([a-z0-9][-a-z0-9.]{1,61}[a-z0-9])(\/[A-Za-z0-9._/-]*)?$/;
const ENDPOINT = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?\/?$/;

/** The bucket settings, validated: the rclone remote and the environment that configures it. */
export interface ObjectStoreSettings {
  /** rclone's inline remote, `:s3:bucket/path`. */
  readonly remote: string;
  readonly keep: number;
  readonly image: string;
  /** `RCLONE_S3_*` variables: literals and Secret references, never a secret value. */
  readonly env: k8s.EnvVar[];
}

function secretEnv(name: string, ref: SecretKeyReference | undefined): k8s.EnvVar[] {
  return ref ? [{ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } }] : [];
}

function checkS3Credentials(problems: Problems, field: string, c: S3Credentials | undefined): boolean {
  if (c === undefined || c === null || typeof c !== 'object') {
    problems.add(field, c, 'is required', 'give accessKeyId and secretAccessKey Secret references, or inheritFromIamRole: true');
    return false;
  }
  const hasKeys = c.accessKeyId !== undefined || c.secretAccessKey !== undefined;
  let ok = c.inheritFromIamRole
    ? problems.check(!hasKeys && c.sessionToken === undefined, field, '(keys and inheritFromIamRole)', 'mixes access keys with the IAM role', 'use either keys or inheritFromIamRole')
    : problems.check(c.accessKeyId !== undefined && c.secretAccessKey !== undefined, field, '(incomplete)', 'needs both accessKeyId and secretAccessKey',
      'give both Secret references, or inheritFromIamRole: true');
  for (const k of ['accessKeyId', 'secretAccessKey', 'region', 'sessionToken'] as const) {
    if (c[k] !== undefined) ok = checkSecretKeyReference(problems, `${field}.${k}`, c[k]) && ok;
  }
  return ok;
}

/** Validates `logicalBackup.objectStore`; returns its settings, or undefined on any problem. */
export function resolveObjectStore(problems: Problems, field: string, props: MySqlObjectStoreProps, defaultKeep: number): ObjectStoreSettings | undefined {
  const match = typeof props.destinationPath === 'string' ? DESTINATION.exec(props.destinationPath) : null;
  problems.check(match !== null, `${field}.destinationPath`, props.destinationPath, 'is not an S3 bucket and path',
    'give "s3://<bucket>/<path>", e.g. "s3://backups/mysql/orders" (bucket names: 3 to 63 lowercase letters, digits, "-" and ".")');
  const endpointOk = props.endpointUrl === undefined || problems.check(typeof props.endpointUrl === 'string' && ENDPOINT.test(props.endpointUrl),
    `${field}.endpointUrl`, props.endpointUrl, 'is not an http(s) endpoint', 'give e.g. "https://minio.storage.svc:9000"');
  const credentialsOk = checkS3Credentials(problems, `${field}.s3`, props.s3);
  const keep = props.keep ?? defaultKeep;
  const keepOk = checkInteger(problems, `${field}.keep`, keep, 1, 1000);
  const image = props.image ?? RCLONE_IMAGE;
  const imageOk = checkImage(problems, `${field}.image`, image, RCLONE_IMAGE) !== undefined;
  if (!match || !endpointOk || !credentialsOk || !keepOk || !imageOk) return undefined;

  const path = (match[2] ?? '').replace(/\/+$/, '');
  const c = props.s3;
  const env: k8s.EnvVar[] = [
    // rclone's "Other" provider talks plain S3 to any compatible endpoint.
    { name: 'RCLONE_S3_PROVIDER', value: props.endpointUrl ? 'Other' : 'AWS' },
    ...(props.endpointUrl ? [{ name: 'RCLONE_S3_ENDPOINT', value: props.endpointUrl }] : []),
    ...(c.inheritFromIamRole ? [{ name: 'RCLONE_S3_ENV_AUTH', value: 'true' }] : []),
    ...secretEnv('RCLONE_S3_ACCESS_KEY_ID', c.accessKeyId),
    ...secretEnv('RCLONE_S3_SECRET_ACCESS_KEY', c.secretAccessKey),
    ...secretEnv('RCLONE_S3_SESSION_TOKEN', c.sessionToken),
    ...secretEnv('RCLONE_S3_REGION', c.region),
  ];
  return { remote: `:s3:${match[1]}${path}`, keep, image, env };
}
