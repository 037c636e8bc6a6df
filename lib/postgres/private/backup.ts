import { Cron, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ObjectStore, ObjectStoreSpecConfiguration, ObjectStoreSpecConfigurationDataCompression, ObjectStoreSpecConfigurationWalCompression,
  ObjectStoreSpecInstanceSidecarConfigurationLogLevel, ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits, ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests,
} from '../../../imports/barmancloud-objectstores-barmancloud.cnpg.io';
import {
  ScheduledBackup, ScheduledBackupSpecBackupOwnerReference, ScheduledBackupSpecMethod, ScheduledBackupSpecTarget,
} from '../../../imports/cnpg-scheduledbackups-postgresql.cnpg.io';
import { Backup, BackupSpecMethod, BackupSpecTarget } from '../../../imports/cnpg-backups-postgresql.cnpg.io';
import { SecretKeyReference, checkSecretKeyReference } from '../../core/credentials';
import { Problems } from '../../core/errors';
import { checkChoice, checkName, checkObjectName } from '../../core/names';
import { checkDuration } from '../../core/duration';
import { checkInteger } from '../../core/quantity';
import { databaseResources } from '../../core/resources';
import { checkSchedule, scheduleGapsSeconds } from '../../core/schedule';
import {
  BackupEncryption, BackupMethod, BackupProps, BarmanLogLevel, BackupTarget, DataCompression, ObjectStoreProps, OnDemandBackupOptions, ObjectStoreProvider, VolumeSnapshotBackupProps, WalCompression,
} from '../backup';
import { BARMAN_CLOUD_PLUGIN, resourceQuantities } from './constants';

const RETENTION = /^[1-9][0-9]*[dwm]$/;
const SERVER_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/;

/** Validates the name a cluster's backups are filed under in an object store. */
export function checkServerName(problems: Problems, field: string, value: unknown): boolean {
  return problems.check(typeof value === 'string' && SERVER_NAME.test(value), field, value, 'is not a server name',
    'give the name the cluster archives under (usually its cluster name): letters, digits, "-", "_" or ".", at most 63');
}

/** Validates a retention policy such as `30d`, `4w` or `12m`. */
export function checkRetention(problems: Problems, field: string, value: unknown): boolean {
  return problems.check(typeof value === 'string' && RETENTION.test(value), field, value,
    'is not a retention period', 'use a positive whole number followed by d (days), w (weeks) or m (months), e.g. "30d"');
}

/**
 * Validates a backup schedule and returns CloudNativePG's six-field form (seconds first, `0 `
 * in front of the five fields). A schedule running more often than hourly is a problem: WAL
 * archiving covers the time between base backups.
 */
export function toCnpgSchedule(problems: Problems, field: string, schedule: Cron): string | undefined {
  const five = checkSchedule(problems, field, schedule);
  if (five === undefined) return undefined;
  // Fifty runs catch minute-level and sub-hourly schedules cheaply.
  if (scheduleGapsSeconds(five, 50).shortest < 3600) {
    problems.add(field, five, 'runs more often than once an hour', 'back up at most hourly, e.g. Cron.schedule({ minute: "0" }); WAL archiving already covers the time between backups');
    return undefined;
  }
  return `0 ${five}`;
}

function checkRef(problems: Problems, field: string, ref: SecretKeyReference | undefined): void {
  if (ref !== undefined) checkSecretKeyReference(problems, field, ref);
}

function checkCompression(problems: Problems, field: string, props: ObjectStoreProps): void {
  if (props.walCompression !== undefined) checkChoice(problems, `${field}.walCompression`, props.walCompression, WalCompression);
  if (props.dataCompression !== undefined) checkChoice(problems, `${field}.dataCompression`, props.dataCompression, DataCompression);
  if (props.encryption !== undefined) checkChoice(problems, `${field}.encryption`, props.encryption, BackupEncryption);
}

const SCHEMES: Record<ObjectStoreProvider, RegExp> = {
  [ObjectStoreProvider.S3]: /^s3:\/\/[a-z0-9][-a-z0-9.]{1,61}[a-z0-9](\/\S*)?$/,
  [ObjectStoreProvider.AZURE]: /^https?:\/\/[^\s/]+\/[^\s/]+(\/\S*)?$/,
  [ObjectStoreProvider.GOOGLE]: /^gs:\/\/[a-z0-9][-a-z0-9._]{1,220}[a-z0-9](\/\S*)?$/,
};
const BUCKET_PREFIXES: Partial<Record<ObjectStoreProvider, string>> = { [ObjectStoreProvider.S3]: 's3://', [ObjectStoreProvider.GOOGLE]: 'gs://' };
const EXAMPLES: Record<ObjectStoreProvider, string> = {
  [ObjectStoreProvider.S3]: 's3://my-bucket/postgres',
  [ObjectStoreProvider.AZURE]: 'https://myaccount.blob.core.windows.net/backups/postgres',
  [ObjectStoreProvider.GOOGLE]: 'gs://my-bucket/postgres',
};

/** Validates object store props. */
/** Validates the Barman Cloud tunables of an object store. */
function checkTunables(problems: Problems, field: string, props: ObjectStoreProps): void {
  if (props.walMaxParallel !== undefined) checkInteger(problems, `${field}.walMaxParallel`, props.walMaxParallel, 1, 64);
  if (props.dataJobs !== undefined) checkInteger(problems, `${field}.dataJobs`, props.dataJobs, 1, 64);
  if (props.immediateCheckpoint !== undefined) problems.check(typeof props.immediateCheckpoint === 'boolean', `${field}.immediateCheckpoint`, props.immediateCheckpoint, 'must be true or false', 'leave it out for a spread checkpoint');
  for (const key of ['backupExtraOptions', 'walArchiveExtraOptions'] as const) {
    const list = props[key];
    if (list === undefined) continue;
    problems.check(Array.isArray(list) && list.every(o => typeof o === 'string' && /^--?[a-z]/.test(o) && !/\s/.test(o)), `${field}.${key}`, list,
      'is not a list of options', 'give options such as "--min-chunk-size=5MB", one per item');
  }
  if (props.retentionCheckInterval !== undefined) {
    checkDuration(problems, `${field}.retentionCheckInterval`, props.retentionCheckInterval, { fallback: Duration.minutes(30), min: Duration.minutes(1), max: Duration.days(7) });
  }
  if (props.logLevel !== undefined) checkChoice(problems, `${field}.logLevel`, props.logLevel, BarmanLogLevel);
}

export function checkObjectStore(problems: Problems, field: string, props: ObjectStoreProps): void {
  if (!checkChoice(problems, `${field}.provider`, props.provider, ObjectStoreProvider)) return;
  checkTunables(problems, field, props);
  const path = props.destinationPath;
  const prefix = BUCKET_PREFIXES[props.provider];
  if (typeof path === 'string' && prefix !== undefined && path.startsWith(prefix) && !SCHEMES[props.provider].test(path)) {
    // The scheme is right: say what is wrong with the bucket rather than calling it another kind of destination.
    problems.add(`${field}.destinationPath`, path, 'has a bucket name that is not valid', 'bucket names are 3 to 63 lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, '
      + `e.g. "${EXAMPLES[props.provider]}"`);
  } else {
    problems.check(typeof path === 'string' && SCHEMES[props.provider].test(path), `${field}.destinationPath`, path,
      `is not a ${props.provider} destination`, `give e.g. "${EXAMPLES[props.provider]}"`);
  }
  if (props.endpointUrl !== undefined) {
    problems.check(typeof props.endpointUrl === 'string' && /^https?:\/\/[^\s/]+(\/\S*)?$/.test(props.endpointUrl), `${field}.endpointUrl`, props.endpointUrl,
      'is not an http(s) URL', 'give e.g. "https://minio.storage.svc:9000"');
  }
  checkRef(problems, `${field}.endpointCa`, props.endpointCa);
  checkCompression(problems, field, props);
  if (props.retention !== undefined) checkRetention(problems, `${field}.retention`, props.retention);
  if (props.name !== undefined) checkName(problems, `${field}.name`, props.name);
  for (const other of Object.values(ObjectStoreProvider)) {
    if (other !== props.provider) {
      problems.check(props[other] === undefined, `${field}.${other}`, props[other], `does not apply to provider "${props.provider}"`, `remove it, or set provider "${other}"`);
    }
  }
  checkCredentials(problems, `${field}.${props.provider}`, props);
}

function checkCredentials(problems: Problems, credentialsField: string, props: ObjectStoreProps): void {
  if (props.provider === ObjectStoreProvider.S3) {
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
  } else if (props.provider === ObjectStoreProvider.AZURE) {
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
    s3Credentials: props.provider === ObjectStoreProvider.S3 && props.s3 ? {
      accessKeyId: ref(props.s3.accessKeyId),
      secretAccessKey: ref(props.s3.secretAccessKey),
      region: ref(props.s3.region),
      sessionToken: ref(props.s3.sessionToken),
      inheritFromIamRole: props.s3.inheritFromIamRole ? true : undefined,
    } : undefined,
    azureCredentials: props.provider === ObjectStoreProvider.AZURE && props.azure ? {
      connectionString: ref(props.azure.connectionString),
      storageAccount: ref(props.azure.storageAccount),
      storageKey: ref(props.azure.storageKey),
      storageSasToken: ref(props.azure.storageSasToken),
      inheritFromAzureAd: props.azure.inheritFromAzureAd ? true : undefined,
      useDefaultAzureCredentials: props.azure.useDefaultAzureCredentials ? true : undefined,
    } : undefined,
    googleCredentials: props.provider === ObjectStoreProvider.GOOGLE && props.google ? {
      applicationCredentials: ref(props.google.applicationCredentials),
      gkeEnvironment: props.google.gkeEnvironment ? true : undefined,
    } : undefined,
    // The imported enums carry the same strings as ours.
    wal: {
      compression: (props.walCompression ?? WalCompression.GZIP) as string as ObjectStoreSpecConfigurationWalCompression, encryption: props.encryption as any,
      maxParallel: props.walMaxParallel,
      archiveAdditionalCommandArgs: props.walArchiveExtraOptions ? [...props.walArchiveExtraOptions] : undefined,
    },
    data: {
      compression: (props.dataCompression ?? DataCompression.GZIP) as string as ObjectStoreSpecConfigurationDataCompression, encryption: props.encryption as any,
      jobs: props.dataJobs,
      immediateCheckpoint: props.immediateCheckpoint,
      additionalCommandArgs: props.backupExtraOptions ? [...props.backupExtraOptions] : undefined,
    },
  };
}

/** Renders a Barman Cloud ObjectStore. */
export function renderObjectStore(scope: Construct, id: string, props: {
  name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string>; store: ObjectStoreProps; sidecar?: k8s.ResourceRequirements;
}): ObjectStore {

  return new ObjectStore(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels, annotations: props.annotations },
    spec: {
      retentionPolicy: props.store.retention ?? '30d',
      configuration: configuration(props.store),
      instanceSidecarConfiguration: props.sidecar || props.store.retentionCheckInterval || props.store.logLevel ? {
        resources: props.sidecar ? resourceQuantities(props.sidecar, ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests.fromString, ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits.fromString) : undefined,
        retentionPolicyIntervalSeconds: props.store.retentionCheckInterval?.toSeconds(),
        logLevel: props.store.logLevel as string as ObjectStoreSpecInstanceSidecarConfigurationLogLevel | undefined,
      } : undefined,
    },
  });
}

/** Renders the ScheduledBackup of a cluster. */
export function renderScheduledBackup(scope: Construct, id: string, props: {
  name: string; namespace: string; labels: Record<string, string>; cluster: string; schedule: string; method: BackupMethod; backup: BackupProps;
}): ScheduledBackup {
  return new ScheduledBackup(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      cluster: { name: props.cluster },
      schedule: props.schedule,
      method: props.method === BackupMethod.PLUGIN ? ScheduledBackupSpecMethod.PLUGIN : ScheduledBackupSpecMethod.VOLUME_SNAPSHOT,
      pluginConfiguration: props.method === BackupMethod.PLUGIN ? { name: BARMAN_CLOUD_PLUGIN } : undefined,
      immediate: props.backup.immediate ?? true,
      suspend: props.backup.suspend ?? false,
      target: props.backup.target === BackupTarget.PRIMARY ? ScheduledBackupSpecTarget.PRIMARY : ScheduledBackupSpecTarget.PREFER_HYPHEN_STANDBY,
      // Backups belong to the ScheduledBackup: deleting it garbage-collects Backup objects, not the data in the store.
      backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
    },
  });
}

/** Validated physical backup settings. */
export interface ResolvedBackup {
  readonly props: BackupProps;
  /** ObjectStore name and the server name this cluster archives under. */
  readonly storeName: string;
  /** Name of the ScheduledBackup. */
  readonly scheduledName: string;
  readonly serverName: string;
  /** CloudNativePG's six-field schedule. */
  readonly schedule: string;
  /** The same schedule's five fields. */
  readonly expression: string;
  readonly method: BackupMethod;
  readonly sidecar?: k8s.ResourceRequirements;
}

function checkVolumeSnapshot(problems: Problems, field: string, props: VolumeSnapshotBackupProps): void {
  checkObjectName(problems, `${field}.className`, props.className, 'VolumeSnapshotClass');
  if (props.walClassName !== undefined) checkObjectName(problems, `${field}.walClassName`, props.walClassName, 'VolumeSnapshotClass');
}

/** Validates the backup props of cluster `cluster`; undefined when not declared or invalid. */
export function checkBackup(problems: Problems, field: string, cluster: string, backup: BackupProps | undefined): ResolvedBackup | undefined {
  if (backup === undefined) return undefined;
  if (!problems.check(backup.objectStore !== undefined || backup.volumeSnapshot !== undefined, field, backup, 'names no backup target',
    'give objectStore, volumeSnapshot, or both')) return undefined;
  let sidecar: k8s.ResourceRequirements | undefined;
  if (backup.objectStore !== undefined) {
    checkObjectStore(problems, `${field}.objectStore`, backup.objectStore);
    sidecar = databaseResources(problems, `${field}.objectStore.sidecarResources`, backup.objectStore.sidecarResources, { cpu: '100m', memory: '256Mi' })?.requirements;
  }
  if (backup.volumeSnapshot !== undefined) checkVolumeSnapshot(problems, `${field}.volumeSnapshot`, backup.volumeSnapshot);
  const method = backup.method ?? (backup.objectStore ? BackupMethod.PLUGIN : BackupMethod.VOLUME_SNAPSHOT);
  if (checkChoice(problems, `${field}.method`, method, BackupMethod)) {
    const target = method === BackupMethod.PLUGIN ? backup.objectStore : backup.volumeSnapshot;
    problems.check(target !== undefined, `${field}.method`, method, 'has no matching target', method === BackupMethod.PLUGIN ? 'add backup.objectStore' : 'add backup.volumeSnapshot');
  }
  const schedule = toCnpgSchedule(problems, `${field}.schedule`, backup.schedule ?? Cron.schedule({ minute: '0', hour: '2' }));
  if (backup.serverName !== undefined) {
    checkServerName(problems, `${field}.serverName`, backup.serverName);
  }
  if (backup.target !== undefined) checkChoice(problems, `${field}.target`, backup.target, BackupTarget);
  const scheduledName = backup.name ?? `${cluster}-backup`;
  if (backup.name !== undefined) checkName(problems, `${field}.name`, backup.name);
  if (schedule === undefined) return undefined;
  return { props: backup, scheduledName, storeName: backup.objectStore?.name ?? `${cluster}-backup`, serverName: backup.serverName ?? cluster, schedule, expression: schedule.slice(2), method, sidecar };
}

/** Validates an on-demand backup against the cluster's backup targets; renders the Backup object. */
export function renderOnDemandBackup(scope: Construct, problems: Problems, id: string, props: {
  cluster: string; namespace: string; labels: Record<string, string>; backup: ResolvedBackup | undefined; options: OnDemandBackupOptions;
}): Backup {
  const { backup, options } = props;
  problems.check(backup !== undefined, 'addBackup', id, 'needs the cluster\'s backup prop (an object store or volume snapshots)', 'declare backup on the cluster');
  problems.throwIfAny();
  const name = options.name ?? `${props.cluster}-${id.toLowerCase()}`;
  checkName(problems, 'addBackup.name', name);
  const method = options.method ?? backup!.method;
  if (checkChoice(problems, 'addBackup.method', method, BackupMethod)) {
    const target = method === BackupMethod.PLUGIN ? backup!.props.objectStore : backup!.props.volumeSnapshot;
    problems.check(target !== undefined, 'addBackup.method', method, 'has no matching target in the cluster\'s backup',
      method === BackupMethod.PLUGIN ? 'add backup.objectStore' : 'add backup.volumeSnapshot');
  }
  if (options.target !== undefined) checkChoice(problems, 'addBackup.target', options.target, BackupTarget);
  problems.throwIfAny();
  const target = options.target ?? backup!.props.target;
  return new Backup(scope, id, {
    metadata: { name, namespace: props.namespace, labels: props.labels },
    spec: {
      cluster: { name: props.cluster },
      method: method === BackupMethod.PLUGIN ? BackupSpecMethod.PLUGIN : BackupSpecMethod.VOLUME_SNAPSHOT,
      pluginConfiguration: method === BackupMethod.PLUGIN ? { name: BARMAN_CLOUD_PLUGIN } : undefined,
      target: target === BackupTarget.PRIMARY ? BackupSpecTarget.PRIMARY : BackupSpecTarget.PREFER_HYPHEN_STANDBY,
    },
  });
}
