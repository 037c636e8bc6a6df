import { k8s } from 'cdk8s-plus-28';
import { SecretKeyReference, checkSecretKeyReference } from '../../core/credentials';
import { Problems } from '../../core/errors';
import { checkImage } from '../../core/image';
import { checkChoice } from '../../core/names';
import { checkInteger } from '../../core/quantity';
import { AzureCredentials, GoogleCredentials, ObjectStoreProvider, S3Credentials } from '../../postgres/backup';
import { MySqlObjectStoreProps } from '../options';

/** The pinned rclone image of the upload and download containers. */
export const RCLONE_IMAGE = 'rclone/rclone:1.68.2';

/** Where the Google service-account key is mounted in the rclone containers. */
export const GCS_CREDENTIALS_DIR = '/etc/rclone/gcs';
const SECRET_FILE_MODE = 0o440;
const CREDENTIALS_VOLUME = 'object-store-credentials';

const OBJECT_PATH = '(\\/[A-Za-z0-9._/-]*)?';
const S3_DESTINATION = new RegExp(`^s3:\\/\\/([a-z0-9][-a-z0-9.]{1,61}[a-z0-9])${OBJECT_PATH}$`);
const GS_DESTINATION = new RegExp(`^gs:\\/\\/([a-z0-9][-a-z0-9._]{1,61}[a-z0-9])${OBJECT_PATH}$`);
const AZURE_CONTAINER = `\\/([a-z0-9][-a-z0-9]{1,61}[a-z0-9])${OBJECT_PATH}$`;
/** `https://<account>.blob.<cloud suffix>/<container>/path`: the service URL, the container, the path. */
const AZURE_DESTINATION = new RegExp(`^(https:\\/\\/[a-z0-9]{3,24}\\.blob\\.[a-z0-9.-]+)${AZURE_CONTAINER}`);
/** An emulator's (Azurite) path-style form: `http(s)://<host>:<port>/<account>/<container>/path`. */
const AZURE_EMULATOR_DESTINATION = new RegExp(`^(https?:\\/\\/(?![a-z0-9]{3,24}\\.blob\\.)[A-Za-z0-9.-]+:[0-9]{1,5}\\/[a-z0-9]{3,24})${AZURE_CONTAINER}`);
const ENDPOINT = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?\/?$/;

const EXAMPLES: Record<ObjectStoreProvider, string> = {
  [ObjectStoreProvider.S3]: '"s3://<bucket>/<path>", e.g. "s3://backups/mysql/orders" (bucket names: 3 to 63 lowercase letters, digits, "-" and ".")',
  [ObjectStoreProvider.GOOGLE]: '"gs://<bucket>/<path>", e.g. "gs://backups/mysql/orders" (bucket names: 3 to 63 lowercase letters, digits, "-", "_" and ".")',
  [ObjectStoreProvider.AZURE]: '"https://<account>.blob.core.windows.net/<container>/<path>", e.g. "https://shopbackups.blob.core.windows.net/mysql/orders" '
    + '(container names: 3 to 63 lowercase letters, digits and "-")',
};

/** The bucket settings, validated: the rclone remote and the environment and files that configure it. */
export interface ObjectStoreSettings {
  /** rclone's inline remote: `:s3:bucket/path`, `:gcs:bucket/path` or `:azureblob:container/path`. */
  readonly remote: string;
  readonly keep: number;
  readonly image: string;
  /** `RCLONE_<BACKEND>_*` variables: literals and Secret references, never a secret value. */
  readonly env: k8s.EnvVar[];
  /** Switches off rclone's bucket check (a backup user rarely may create buckets); first in the env. */
  readonly noBucketCheck: k8s.EnvVar[];
  /** The Secret volume of a credentials file (Google's service-account key), if any. */
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
}

interface Backend {
  readonly remote: string;
  readonly env: k8s.EnvVar[];
  readonly noBucketCheck: k8s.EnvVar[];
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
}

function secretEnv(name: string, ref: SecretKeyReference | undefined): k8s.EnvVar[] {
  return ref ? [{ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } }] : [];
}

function isObject(c: unknown): c is object {
  return c !== undefined && c !== null && typeof c === 'object';
}

function checkRefs<T extends object>(problems: Problems, field: string, c: T, keys: readonly (keyof T & string)[]): boolean {
  let ok = true;
  for (const k of keys) {
    if (c[k] !== undefined) ok = checkSecretKeyReference(problems, `${field}.${k}`, c[k] as any) && ok;
  }
  return ok;
}

function checkS3Credentials(problems: Problems, field: string, c: S3Credentials | undefined): boolean {
  if (!isObject(c)) {
    problems.add(field, c, 'is required with provider S3', 'give accessKeyId and secretAccessKey Secret references, or inheritFromIamRole: true');
    return false;
  }
  const hasKeys = c.accessKeyId !== undefined || c.secretAccessKey !== undefined;
  const ok = c.inheritFromIamRole
    ? problems.check(!hasKeys && c.sessionToken === undefined, field, '(keys and inheritFromIamRole)', 'mixes access keys with the IAM role', 'use either keys or inheritFromIamRole')
    : problems.check(c.accessKeyId !== undefined && c.secretAccessKey !== undefined, field, '(incomplete)', 'needs both accessKeyId and secretAccessKey',
      'give both Secret references, or inheritFromIamRole: true');
  return checkRefs(problems, field, c, ['accessKeyId', 'secretAccessKey', 'region', 'sessionToken']) && ok;
}

function checkGoogleCredentials(problems: Problems, field: string, c: GoogleCredentials | undefined): boolean {
  if (!isObject(c)) {
    problems.add(field, c, 'is required with provider GOOGLE', 'give applicationCredentials (a service-account key Secret reference) or gkeEnvironment: true');
    return false;
  }
  const ok = problems.check((c.applicationCredentials !== undefined) !== !!c.gkeEnvironment, field, '(credentials)', 'needs exactly one of applicationCredentials and gkeEnvironment',
    'give a service-account key Secret reference, or gkeEnvironment: true for workload identity');
  return checkRefs(problems, field, c, ['applicationCredentials']) && ok;
}

function checkAzureCredentials(problems: Problems, field: string, c: AzureCredentials | undefined): boolean {
  if (!isObject(c)) {
    problems.add(field, c, 'is required with provider AZURE', 'give storageAccount with storageKey or storageSasToken, or inheritFromAzureAd: true');
    return false;
  }
  // rclone has no connection-string option: the account, key or SAS token must come apart.
  let ok = problems.check(c.connectionString === undefined, `${field}.connectionString`, c.connectionString, 'is not read by rclone',
    'give storageAccount with storageKey or storageSasToken instead');
  const modes = [c.storageAccount !== undefined, !!c.inheritFromAzureAd, !!c.useDefaultAzureCredentials].filter(Boolean).length;
  ok = problems.check(modes === 1 || (modes === 0 && c.connectionString !== undefined), field, '(credentials)', modes === 0 ? 'no credentials given' : 'mixes several kinds of credentials',
    'give exactly one of storageAccount (+ storageKey or storageSasToken), inheritFromAzureAd, useDefaultAzureCredentials') && ok;
  if (c.storageAccount !== undefined) {
    ok = problems.check((c.storageKey !== undefined) !== (c.storageSasToken !== undefined), field, '(storageAccount)', 'needs exactly one of storageKey and storageSasToken',
      'give storageKey or storageSasToken with storageAccount') && ok;
  } else {
    ok = problems.check(c.storageKey === undefined && c.storageSasToken === undefined, field, '(storageKey)', 'storageKey and storageSasToken need storageAccount', 'add storageAccount') && ok;
  }
  return checkRefs(problems, field, c, ['storageAccount', 'storageKey', 'storageSasToken']) && ok;
}

function s3Backend(props: MySqlObjectStoreProps, match: RegExpExecArray): Backend {
  const c = props.s3!;
  return {
    remote: `:s3:${match[1]}${trimPath(match[2])}`,
    env: [
      // rclone's "Other" provider talks plain S3 to any compatible endpoint.
      { name: 'RCLONE_S3_PROVIDER', value: props.endpointUrl ? 'Other' : 'AWS' },
      ...(props.endpointUrl ? [{ name: 'RCLONE_S3_ENDPOINT', value: props.endpointUrl }] : []),
      ...(c.inheritFromIamRole ? [{ name: 'RCLONE_S3_ENV_AUTH', value: 'true' }] : []),
      ...secretEnv('RCLONE_S3_ACCESS_KEY_ID', c.accessKeyId),
      ...secretEnv('RCLONE_S3_SECRET_ACCESS_KEY', c.secretAccessKey),
      ...secretEnv('RCLONE_S3_SESSION_TOKEN', c.sessionToken),
      ...secretEnv('RCLONE_S3_REGION', c.region),
    ],
    noBucketCheck: [{ name: 'RCLONE_S3_NO_CHECK_BUCKET', value: 'true' }],
    volumes: [],
    mounts: [],
  };
}

function googleBackend(props: MySqlObjectStoreProps, match: RegExpExecArray): Backend {
  const key = props.google!.applicationCredentials;
  return {
    remote: `:gcs:${match[1]}${trimPath(match[2])}`,
    env: [
      // Uniform bucket-level access (the default for new buckets) refuses per-object ACLs; with it
      // rclone sends none and objects take the bucket's policy, which also works on other buckets.
      { name: 'RCLONE_GCS_BUCKET_POLICY_ONLY', value: 'true' },
      ...(key ? [{ name: 'RCLONE_GCS_SERVICE_ACCOUNT_FILE', value: `${GCS_CREDENTIALS_DIR}/credentials.json` }] : [{ name: 'RCLONE_GCS_ENV_AUTH', value: 'true' }]),
    ],
    noBucketCheck: [{ name: 'RCLONE_GCS_NO_CHECK_BUCKET', value: 'true' }],
    volumes: key ? [{ name: CREDENTIALS_VOLUME, secret: { secretName: key.secretName, defaultMode: SECRET_FILE_MODE, items: [{ key: key.key, path: 'credentials.json' }] } }] : [],
    mounts: key ? [{ name: CREDENTIALS_VOLUME, mountPath: GCS_CREDENTIALS_DIR, readOnly: true }] : [],
  };
}

function azureBackend(props: MySqlObjectStoreProps, match: RegExpExecArray): Backend {
  const c = props.azure!;
  // The service URL: the account's host, or an emulator's host and account segment.
  const [, service, container, path] = match;
  const env: k8s.EnvVar[] = [{ name: 'RCLONE_AZUREBLOB_ENDPOINT', value: service }];
  if (c.storageSasToken) {
    // rclone takes a SAS as a URL; the kubelet expands $(VAR) from the Secret-backed variable
    // above it, so the token reaches neither the manifest nor a command line.
    env.push(...secretEnv('AZURE_STORAGE_SAS_TOKEN', c.storageSasToken),
      { name: 'RCLONE_AZUREBLOB_SAS_URL', value: `${service}/${container}?$(AZURE_STORAGE_SAS_TOKEN)` });
  } else if (c.storageAccount) {
    env.push(...secretEnv('RCLONE_AZUREBLOB_ACCOUNT', c.storageAccount), ...secretEnv('RCLONE_AZUREBLOB_KEY', c.storageKey));
  } else {
    // Workload identity and the rest of Azure's default credential chain.
    env.push({ name: 'RCLONE_AZUREBLOB_ENV_AUTH', value: 'true' });
  }
  // rclone 1.68 has no container check to switch off: an existing container is simply used.
  return { remote: `:azureblob:${container}${trimPath(path)}`, env, noBucketCheck: [], volumes: [], mounts: [] };
}

function trimPath(path: string | undefined): string {
  return (path ?? '').replace(/\/+$/, '');
}

/** Validates `logicalBackup.objectStore`; returns its settings, or undefined on any problem. */
export function resolveObjectStore(problems: Problems, field: string, props: MySqlObjectStoreProps, defaultKeep: number): ObjectStoreSettings | undefined {
  const provider = props.provider ?? ObjectStoreProvider.S3;
  if (!checkChoice(problems, `${field}.provider`, provider, ObjectStoreProvider)) return undefined;
  const pattern = { [ObjectStoreProvider.S3]: S3_DESTINATION, [ObjectStoreProvider.GOOGLE]: GS_DESTINATION, [ObjectStoreProvider.AZURE]: AZURE_DESTINATION }[provider];
  const path = typeof props.destinationPath === 'string' ? props.destinationPath : '';
  const match = pattern.exec(path) ?? (provider === ObjectStoreProvider.AZURE ? AZURE_EMULATOR_DESTINATION.exec(path) : null);
  problems.check(match !== null, `${field}.destinationPath`, props.destinationPath, `is not a ${provider} destination`, `give ${EXAMPLES[provider]}`);
  let endpointOk = true;
  if (props.endpointUrl !== undefined) {
    endpointOk = provider === ObjectStoreProvider.S3
      ? problems.check(typeof props.endpointUrl === 'string' && ENDPOINT.test(props.endpointUrl), `${field}.endpointUrl`, props.endpointUrl,
        'is not an http(s) endpoint', 'give e.g. "https://minio.storage.svc:9000"')
      : problems.check(false, `${field}.endpointUrl`, props.endpointUrl, `applies to provider S3 only (${provider}'s endpoint comes from destinationPath)`, 'leave it out');
  }
  let otherOk = true;
  for (const other of Object.values(ObjectStoreProvider)) {
    if (other === provider) continue;
    otherOk = problems.check(props[other] === undefined, `${field}.${other}`, props[other], `does not apply to provider ${provider}`,
      `remove it, or set provider: ObjectStoreProvider.${other.toUpperCase()}`) && otherOk;
  }
  const credentialsOk = provider === ObjectStoreProvider.S3 ? checkS3Credentials(problems, `${field}.s3`, props.s3)
    : provider === ObjectStoreProvider.GOOGLE ? checkGoogleCredentials(problems, `${field}.google`, props.google)
      : checkAzureCredentials(problems, `${field}.azure`, props.azure);
  const keep = props.keep ?? defaultKeep;
  const keepOk = checkInteger(problems, `${field}.keep`, keep, 1, 1000);
  const image = props.image ?? RCLONE_IMAGE;
  const imageOk = checkImage(problems, `${field}.image`, image, RCLONE_IMAGE) !== undefined;
  if (!match || !endpointOk || !otherOk || !credentialsOk || !keepOk || !imageOk) return undefined;

  const backend = provider === ObjectStoreProvider.S3 ? s3Backend(props, match)
    : provider === ObjectStoreProvider.GOOGLE ? googleBackend(props, match) : azureBackend(props, match);
  return { ...backend, keep, image };
}
