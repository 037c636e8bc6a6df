import { k8s } from 'cdk8s-plus-28';
import { CronExpressionParser } from 'cron-parser';
import { Construct } from 'constructs';
import {
  ObjectStore, ObjectStoreSpecConfiguration, ObjectStoreSpecConfigurationDataCompression, ObjectStoreSpecConfigurationWalCompression,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits, ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests,
} from '../../imports/barmancloud-objectstores-barmancloud.cnpg.io';
import {
  ScheduledBackup, ScheduledBackupSpecBackupOwnerReference, ScheduledBackupSpecMethod, ScheduledBackupSpecTarget,
} from '../../imports/cnpg-scheduledbackups-postgresql.cnpg.io';
import { SecretKeyReference } from '../core/credentials';
import { Problems } from '../core/errors';
import { isDns1123Label } from '../core/names';
import { ResourceProps, databaseResources } from '../core/resources';

/** Name of the Barman Cloud CNPG-I plugin, as the Cluster's `plugins` entry and `pluginConfiguration` use it. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/** Where the object store lives. */
export type ObjectStoreProvider = 's3' | 'azure' | 'google';

/** S3 (or S3-compatible) credentials: Secret references, or the pod's IAM role (IRSA / EKS Pod Identity). */
export interface S3Credentials {
  /** Access key id. @default none (required unless inheritFromIamRole) */
  readonly accessKeyId?: SecretKeyReference;
  /** Secret access key. @default none (required unless inheritFromIamRole) */
  readonly secretAccessKey?: SecretKeyReference;
  /** Region. @default the SDK's default region resolution */
  readonly region?: SecretKeyReference;
  /** Session token for temporary credentials. @default none */
  readonly sessionToken?: SecretKeyReference;
  /** Use the IAM role of the pod's ServiceAccount instead of keys. @default false */
  readonly inheritFromIamRole?: boolean;
}

/** Azure Blob Storage credentials: Secret references, or workload identity. */
export interface AzureCredentials {
  /** A connection string. @default none */
  readonly connectionString?: SecretKeyReference;
  /** Storage account name (with storageKey or storageSasToken). @default none */
  readonly storageAccount?: SecretKeyReference;
  /** Storage account key. @default none */
  readonly storageKey?: SecretKeyReference;
  /** Shared access signature token. @default none */
  readonly storageSasToken?: SecretKeyReference;
  /** Use Azure AD workload identity. @default false */
  readonly inheritFromAzureAd?: boolean;
  /** Use the Azure SDK's DefaultAzureCredential chain. @default false */
  readonly useDefaultAzureCredentials?: boolean;
}

/** Google Cloud Storage credentials: a service-account key Secret, or GKE workload identity. */
export interface GoogleCredentials {
  /** Service account JSON key. @default none (required unless gkeEnvironment) */
  readonly applicationCredentials?: SecretKeyReference;
  /** Use GKE workload identity. @default false */
  readonly gkeEnvironment?: boolean;
}

/** An object store for base backups and WAL archives (a Barman Cloud `ObjectStore`). */
export interface ObjectStoreProps {
  /** The provider; decides which credentials apply and the scheme of `destinationPath`. */
  readonly provider: ObjectStoreProvider;
  /**
   * Bucket and path: `s3://bucket/path` (s3), `https://<account>.blob.core.windows.net/<container>/path`
   * (azure), `gs://bucket/path` (google).
   */
  readonly destinationPath: string;
  /** Endpoint of an S3-compatible store (MinIO, Ceph, R2...). @default the provider's endpoint */
  readonly endpointUrl?: string;
  /** CA bundle for a private endpoint. @default the system CAs */
  readonly endpointCa?: SecretKeyReference;
  /** S3 credentials (provider s3). */
  readonly s3?: S3Credentials;
  /** Azure credentials (provider azure). */
  readonly azure?: AzureCredentials;
  /** Google credentials (provider google). */
  readonly google?: GoogleCredentials;
  /** How long backups are kept: a number and `d` (days), `w` (weeks) or `m` (months). @default '30d' */
  readonly retention?: string;
  /** WAL compression. @default 'gzip' */
  readonly walCompression?: 'bzip2' | 'gzip' | 'lz4' | 'snappy' | 'xz' | 'zstd';
  /** Base backup compression. @default 'gzip' */
  readonly dataCompression?: 'bzip2' | 'gzip' | 'lz4' | 'snappy';
  /** Server-side encryption. @default the bucket's default */
  readonly encryption?: 'AES256' | 'aws:kms';
  /** Name of the ObjectStore resource. @default `<cluster>-backup` */
  readonly name?: string;
  /**
   * Resources of the plugin's sidecar in each instance pod (memory request equals limit).
   * @default cpu 100m, memory 256Mi
   */
  readonly sidecarResources?: ResourceProps;
}

/** Volume snapshot backups (CSI VolumeSnapshots of the data and WAL volumes). */
export interface VolumeSnapshotBackupProps {
  /** VolumeSnapshotClass of the data volume. */
  readonly className: string;
  /** VolumeSnapshotClass of the WAL volume. @default className */
  readonly walClassName?: string;
  /** Online (hot) snapshots; offline ones stop the instance being snapshotted. @default true */
  readonly online?: boolean;
}

/** Physical backups of a PostgresCluster. */
export interface BackupProps {
  /** Base backups and WAL archiving to an object store through the Barman Cloud plugin. @default none */
  readonly objectStore?: ObjectStoreProps;
  /** Volume snapshot backups. @default none */
  readonly volumeSnapshot?: VolumeSnapshotBackupProps;
  /**
   * When scheduled backups run: a five-field cron expression (`0 2 * * *`, rendered as CloudNativePG's
   * six-field `0 0 2 * * *`) or a six-field one with seconds first. At most hourly.
   * @default '0 2 * * *' (02:00 every day, in the operator's time zone)
   */
  readonly schedule?: string;
  /** Which backup the ScheduledBackup takes. @default 'plugin' when objectStore is set, else 'volumeSnapshot' */
  readonly method?: 'plugin' | 'volumeSnapshot';
  /** Take a first backup as soon as the ScheduledBackup is created. @default true */
  readonly immediate?: boolean;
  /** Which instance the backup is taken from. @default 'prefer-standby' */
  readonly target?: 'primary' | 'prefer-standby';
  /** Pause scheduled backups (WAL archiving continues). @default false */
  readonly suspend?: boolean;
  /**
   * Folder of this cluster inside the object store. Change it when a new cluster takes over the name
   * of one whose backups are still in the same store.
   * @default the cluster name
   */
  readonly serverName?: string;
}

const RETENTION = /^[1-9][0-9]*[dwm]$/;
const CRON_FIELD = /^[0-9A-Za-z*,\/\-?]+$/;

/** Validates a retention policy such as `30d`, `4w` or `12m`. */
export function checkRetention(problems: Problems, field: string, value: unknown): boolean {
  return problems.check(typeof value === 'string' && RETENTION.test(value), field, value,
    'is not a retention period', 'use a positive whole number followed by d (days), w (weeks) or m (months), e.g. "30d"');
}

/**
 * Converts a cron expression to CloudNativePG's six-field form (seconds first): five fields get
 * `0 ` in front, six fields pass through. Anything else, invalid fields, a seconds field that is not
 * a single number (which would back up every second) or a schedule running more often than hourly
 * is a problem. Returns undefined when invalid.
 */
export function toCnpgSchedule(problems: Problems, field: string, expression: unknown): string | undefined {
  if (typeof expression !== 'string') {
    problems.add(field, expression, 'is not a cron expression', 'give e.g. "0 2 * * *" (02:00 daily)');
    return undefined;
  }
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    problems.add(field, expression, `has ${fields.length} fields`, 'give five fields (minute hour day month weekday) or six with seconds first, e.g. "0 2 * * *"');
    return undefined;
  }
  if (!fields.every(f => CRON_FIELD.test(f))) {
    problems.add(field, expression, 'contains characters cron does not accept', 'use numbers, names, "*", ",", "-" and "/" only');
    return undefined;
  }
  const six = fields.length === 5 ? ['0', ...fields] : fields;
  if (!/^[0-5]?[0-9]$/.test(six[0])) {
    problems.add(field, expression, `has seconds field "${six[0]}", which would start a backup several times a minute`, 'use a single second such as 0, e.g. "0 0 2 * * *"');
    return undefined;
  }
  try {
    const parsed = CronExpressionParser.parse(six.join(' '), { currentDate: new Date(Date.UTC(2025, 0, 1)), tz: 'UTC' });
    // The shortest gap over a leap year's worth of runs would be thorough; two weeks catches
    // minute-level and sub-hourly schedules cheaply.
    let previous = parsed.next().getTime();
    for (let i = 0; i < 50; i++) {
      const next = parsed.next().getTime();
      if (next - previous < 3600_000) {
        problems.add(field, expression, 'runs more often than once an hour', 'back up at most hourly, e.g. "0 * * * *"; WAL archiving already covers the time between backups');
        return undefined;
      }
      previous = next;
    }
  } catch (e) {
    problems.add(field, expression, `is not a valid cron expression (${(e as Error).message})`, 'give e.g. "0 2 * * *" (02:00 daily)');
    return undefined;
  }
  return six.join(' ');
}

function checkRef(problems: Problems, field: string, ref: SecretKeyReference | undefined): void {
  if (ref === undefined) return;
  problems.check(typeof ref === 'object' && ref !== null && typeof ref.secretName === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(ref.secretName) && ref.secretName.length <= 253,
    `${field}.secretName`, ref?.secretName, 'is not a valid Secret name', 'name an existing Secret');
  problems.check(typeof ref?.key === 'string' && /^[-._a-zA-Z0-9]+$/.test(ref.key), `${field}.key`, ref?.key, 'is not a valid Secret key', 'use letters, digits, "-", "_" or "."');
}

const SCHEMES: Record<ObjectStoreProvider, RegExp> = {
  s3: /^s3:\/\/[a-z0-9][-a-z0-9.]{1,61}[a-z0-9](\/\S*)?$/,
  azure: /^https?:\/\/[^\s/]+\/[^\s/]+(\/\S*)?$/,
  google: /^gs:\/\/[a-z0-9][-a-z0-9._]{1,220}[a-z0-9](\/\S*)?$/,
};
const EXAMPLES: Record<ObjectStoreProvider, string> = {
  s3: 's3://my-bucket/postgres',
  azure: 'https://myaccount.blob.core.windows.net/backups/postgres',
  google: 'gs://my-bucket/postgres',
};

/** Validates the sidecar resources of an object store; returns them when valid. */
export function checkSidecarResources(problems: Problems, field: string, props: ObjectStoreProps): k8s.ResourceRequirements | undefined {
  return databaseResources(problems, `${field}.sidecarResources`, props.sidecarResources, { cpu: '100m', memory: '256Mi' })?.requirements;
}

/** Validates object store props. */
export function checkObjectStore(problems: Problems, field: string, props: ObjectStoreProps): void {
  if (!problems.check(['s3', 'azure', 'google'].includes(props.provider), `${field}.provider`, props.provider, 'is not a provider', 'use "s3", "azure" or "google"')) return;
  problems.check(typeof props.destinationPath === 'string' && SCHEMES[props.provider].test(props.destinationPath), `${field}.destinationPath`, props.destinationPath,
    `is not a ${props.provider} destination`, `give e.g. "${EXAMPLES[props.provider]}"`);
  if (props.endpointUrl !== undefined) {
    problems.check(typeof props.endpointUrl === 'string' && /^https?:\/\/[^\s/]+(\/\S*)?$/.test(props.endpointUrl), `${field}.endpointUrl`, props.endpointUrl,
      'is not an http(s) URL', 'give e.g. "https://minio.storage.svc:9000"');
  }
  checkRef(problems, `${field}.endpointCa`, props.endpointCa);
  if (props.retention !== undefined) checkRetention(problems, `${field}.retention`, props.retention);
  if (props.name !== undefined) {
    problems.check(typeof props.name === 'string' && isDns1123Label(props.name), `${field}.name`, props.name, 'is not a DNS-1123 label', 'use lowercase letters, digits and "-"');
  }
  for (const other of ['s3', 'azure', 'google'] as const) {
    if (other !== props.provider) {
      problems.check(props[other] === undefined, `${field}.${other}`, props[other], `does not apply to provider "${props.provider}"`, `remove it, or set provider "${other}"`);
    }
  }
  const credentialsField = `${field}.${props.provider}`;
  if (props.provider === 's3') {
    const c = props.s3;
    if (c === undefined) return problems.add(credentialsField, c, 'no S3 credentials given', 'give accessKeyId and secretAccessKey Secret references, or inheritFromIamRole: true');
    const hasKeys = c.accessKeyId !== undefined || c.secretAccessKey !== undefined;
    if (c.inheritFromIamRole) {
      problems.check(!hasKeys && c.sessionToken === undefined, credentialsField, '(keys and inheritFromIamRole)', 'mixes access keys with the IAM role', 'use either keys or inheritFromIamRole');
    } else {
      problems.check(c.accessKeyId !== undefined && c.secretAccessKey !== undefined, credentialsField, '(incomplete)', 'needs both accessKeyId and secretAccessKey',
        'give both Secret references, or inheritFromIamRole: true');
    }
    for (const k of ['accessKeyId', 'secretAccessKey', 'region', 'sessionToken'] as const) checkRef(problems, `${credentialsField}.${k}`, c[k]);
  } else if (props.provider === 'azure') {
    const c = props.azure;
    if (c === undefined) return problems.add(credentialsField, c, 'no Azure credentials given', 'give a connectionString, storageAccount with storageKey or storageSasToken, or inheritFromAzureAd: true');
    const modes = [c.connectionString !== undefined, c.storageAccount !== undefined, !!c.inheritFromAzureAd, !!c.useDefaultAzureCredentials].filter(Boolean).length;
    problems.check(modes === 1, credentialsField, '(credentials)', modes === 0 ? 'no credentials given' : 'mixes several kinds of credentials',
      'give exactly one of connectionString, storageAccount (+ storageKey or storageSasToken), inheritFromAzureAd, useDefaultAzureCredentials');
    if (c.storageAccount !== undefined) {
      problems.check((c.storageKey !== undefined) !== (c.storageSasToken !== undefined), credentialsField, '(storageAccount)', 'needs exactly one of storageKey and storageSasToken',
        'give storageKey or storageSasToken with storageAccount');
    } else {
      problems.check(c.storageKey === undefined && c.storageSasToken === undefined, credentialsField, '(storageKey)', 'storageKey and storageSasToken need storageAccount', 'add storageAccount');
    }
    for (const k of ['connectionString', 'storageAccount', 'storageKey', 'storageSasToken'] as const) checkRef(problems, `${credentialsField}.${k}`, c[k]);
  } else {
    const c = props.google;
    if (c === undefined) return problems.add(credentialsField, c, 'no Google credentials given', 'give applicationCredentials or gkeEnvironment: true');
    problems.check((c.applicationCredentials !== undefined) !== !!c.gkeEnvironment, credentialsField, '(credentials)', 'needs exactly one of applicationCredentials and gkeEnvironment',
      'give a service-account key Secret reference, or gkeEnvironment: true for workload identity');
    checkRef(problems, `${credentialsField}.applicationCredentials`, c.applicationCredentials);
  }
}

function ref(r: SecretKeyReference | undefined): { name: string; key: string } | undefined {
  return r ? { name: r.secretName, key: r.key } : undefined;
}

/** The `configuration` block of an ObjectStore. */
function configuration(props: ObjectStoreProps): ObjectStoreSpecConfiguration {
  return {
    destinationPath: props.destinationPath,
    endpointUrl: props.endpointUrl,
    endpointCa: ref(props.endpointCa),
    s3Credentials: props.provider === 's3' && props.s3 ? {
      accessKeyId: ref(props.s3.accessKeyId),
      secretAccessKey: ref(props.s3.secretAccessKey),
      region: ref(props.s3.region),
      sessionToken: ref(props.s3.sessionToken),
      inheritFromIamRole: props.s3.inheritFromIamRole ? true : undefined,
    } : undefined,
    azureCredentials: props.provider === 'azure' && props.azure ? {
      connectionString: ref(props.azure.connectionString),
      storageAccount: ref(props.azure.storageAccount),
      storageKey: ref(props.azure.storageKey),
      storageSasToken: ref(props.azure.storageSasToken),
      inheritFromAzureAd: props.azure.inheritFromAzureAd ? true : undefined,
      useDefaultAzureCredentials: props.azure.useDefaultAzureCredentials ? true : undefined,
    } : undefined,
    googleCredentials: props.provider === 'google' && props.google ? {
      applicationCredentials: ref(props.google.applicationCredentials),
      gkeEnvironment: props.google.gkeEnvironment ? true : undefined,
    } : undefined,
    wal: { compression: (props.walCompression ?? 'gzip') as ObjectStoreSpecConfigurationWalCompression, encryption: props.encryption as any },
    data: { compression: (props.dataCompression ?? 'gzip') as ObjectStoreSpecConfigurationDataCompression, encryption: props.encryption as any },
  };
}

/** Renders a Barman Cloud ObjectStore. */
export function renderObjectStore(scope: Construct, id: string, props: {
  name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string>; store: ObjectStoreProps; sidecar?: k8s.ResourceRequirements;
}): ObjectStore {
  const req = props.sidecar;
  return new ObjectStore(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels, annotations: props.annotations },
    spec: {
      retentionPolicy: props.store.retention ?? '30d',
      configuration: configuration(props.store),
      instanceSidecarConfiguration: req ? {
        resources: {
          requests: {
            cpu: ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests.fromString(String(req.requests!.cpu!.value)),
            memory: ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests.fromString(String(req.requests!.memory!.value)),
          },
          limits: {
            memory: ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits.fromString(String(req.limits!.memory!.value)),
            ...(req.limits!.cpu ? { cpu: ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits.fromString(String(req.limits!.cpu.value)) } : {}),
          },
        },
      } : undefined,
    },
  });
}

/** Renders the ScheduledBackup of a cluster. */
export function renderScheduledBackup(scope: Construct, id: string, props: {
  name: string; namespace: string; labels: Record<string, string>; cluster: string; schedule: string; method: 'plugin' | 'volumeSnapshot'; backup: BackupProps;
}): ScheduledBackup {
  return new ScheduledBackup(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      cluster: { name: props.cluster },
      schedule: props.schedule,
      method: props.method === 'plugin' ? ScheduledBackupSpecMethod.PLUGIN : ScheduledBackupSpecMethod.VOLUME_SNAPSHOT,
      pluginConfiguration: props.method === 'plugin' ? { name: BARMAN_CLOUD_PLUGIN } : undefined,
      immediate: props.backup.immediate ?? true,
      suspend: props.backup.suspend ?? false,
      target: (props.backup.target ?? 'prefer-standby') === 'primary' ? ScheduledBackupSpecTarget.PRIMARY : ScheduledBackupSpecTarget.PREFER_HYPHEN_STANDBY,
      // Backups belong to the ScheduledBackup: deleting it garbage-collects Backup objects, not the data in the store.
      backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
    },
  });
}
