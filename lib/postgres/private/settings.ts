import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { Problems } from '../../core/errors';
import { checkChoice, checkFindingIds, checkLabels, checkName, checkObjectName, isDns1123Label } from '../../core/names';
import { resolveNamespace } from '../../core/namespace';
import { checkInteger } from '../../core/quantity';
import { databaseResources } from '../../core/resources';
import { ResolvedStorage, checkStorage } from '../../core/storage';
import { Bootstrap } from '../bootstrap';
import {
  DataDurability, PostgresClusterProps, PrimaryUpdateMethod, PrimaryUpdateStrategy, SynchronousMethod, SynchronousReplicationProps, TlsProps,
} from '../cluster-props';
import { DatabaseProps } from '../database';
import { PoolerProps } from '../pooler';
import { RoleProps } from '../roles';
import { PostgresVersion } from '../version';
import { ResolvedBackup, checkBackup } from './backup';
import { ResolvedBootstrap } from './bootstrap';
import { ResolvedLogicalBackup, checkLogicalBackup } from './logical-backup';
import { ResolvedMonitoring, checkMonitoring } from './monitoring';
import { checkLibraries, checkParameters, checkPgHba } from './parameters';
import { checkPooler } from './pooler';
import { checkDatabases, checkRoles } from './roles';
import { ResolvedScheduling, checkScheduling } from './scheduling';

const STORAGE_MINIMUM = { size: '1Gi', reason: 'too small for PostgreSQL and its WAL' };

/** Every prop of a PostgresCluster validated, with every default applied. */
export interface ClusterSettings {
  readonly props: PostgresClusterProps;
  readonly name: string;
  readonly namespace: string;
  readonly instances: number;
  readonly version: PostgresVersion;
  readonly storage: ResolvedStorage;
  readonly walStorage?: ResolvedStorage;
  readonly resources: k8s.ResourceRequirements;
  readonly scheduling: ResolvedScheduling;
  readonly bootstrap: ResolvedBootstrap;
  readonly roles: RoleProps[];
  readonly databases: DatabaseProps[];
  readonly backup?: ResolvedBackup;
  readonly logicalBackup?: ResolvedLogicalBackup;
  readonly pooler?: { readonly props: PoolerProps; readonly resources: k8s.ResourceRequirements };
  readonly monitoring: ResolvedMonitoring;
  readonly operatorNamespace: string;
  readonly superuserAccess: boolean;
  readonly disruptionBudget: boolean;
  readonly primaryUpdateStrategy: PrimaryUpdateStrategy;
  readonly primaryUpdateMethod: PrimaryUpdateMethod;
}

/** Validates every prop, collecting every problem, and throws them together; returns the settings. */
export function resolveSettings(scope: IConstruct, id: string, props: PostgresClusterProps): ClusterSettings {
  const problems = new Problems(scope, 'PostgresCluster');
  const name = props.name ?? id;
  if (checkName(problems, 'name', name, 'cnpgCluster')) {
    problems.check(/^[a-z]/.test(name), 'name', name, 'must start with a letter (its Services are named after it)', 'start the name with a letter');
  }
  const namespace = resolveNamespace(scope, problems, props.namespace);
  const instances = props.instances ?? 3;
  checkInteger(problems, 'instances', instances, 1, 64);
  const version = props.version ?? PostgresVersion.DEFAULT;
  if (problems.check(version instanceof PostgresVersion, 'version', version, 'is not a PostgresVersion', 'use PostgresVersion.V17, fromImage(...) or fromImageCatalog(...)')) {
    version._validate(problems, 'version');
  }
  const storage = checkStorage(problems, 'storage', props.storage, { minimum: STORAGE_MINIMUM });
  const walStorage = props.walStorage === undefined ? undefined : checkStorage(problems, 'walStorage', props.walStorage, { minimum: STORAGE_MINIMUM });
  const resources = databaseResources(problems, 'resources', props.resources, { cpu: '500m', memory: '1Gi' });
  const scheduling = checkScheduling(problems, 'scheduling', props.scheduling);
  checkConfiguration(problems, props, instances);
  const bootstrap = checkBootstrapAndRoles(problems, props, name);
  const backup = checkBackup(problems, 'backup', name, props.backup);
  checkRecoveryArchive(problems, bootstrap, backup);
  const logicalBackup = props.logicalBackup === undefined ? undefined
    : checkLogicalBackup(problems, 'logicalBackup', name, props.logicalBackup, version instanceof PostgresVersion ? version : PostgresVersion.DEFAULT);
  let pooler: ClusterSettings['pooler'];
  if (props.pooler !== undefined) {
    const poolerResources = checkPooler(problems, 'pooler', props.pooler);
    checkName(problems, 'name', `${name}-pooler-${props.pooler.readOnly ? 'ro' : 'rw'}`, 'service');
    if (poolerResources) pooler = { props: props.pooler, resources: poolerResources };
  }
  const monitoring = checkMonitoring(problems, 'monitoring', props.monitoring);
  const options = checkOptions(problems, props);
  problems.throwIfAny();
  return {
    props, name, namespace, instances, version, storage: storage!, walStorage, resources: resources!.requirements, scheduling, bootstrap,
    roles: props.roles ?? [], databases: props.databases ?? [], backup, logicalBackup, pooler, monitoring, ...options,
  };
}

function checkSynchronous(problems: Problems, sync: SynchronousReplicationProps, instances: number): void {
  problems.check(Number.isInteger(sync.number) && sync.number >= 1 && sync.number < instances, 'synchronous.number', sync.number,
    `must be a whole number from 1 to ${instances - 1} (fewer than the instances)`, instances > 1 ? `give 1 to ${instances - 1}, or add instances` : 'add instances; one instance has no standby');
  if (sync.method !== undefined) checkChoice(problems, 'synchronous.method', sync.method, SynchronousMethod);
  if (sync.dataDurability !== undefined) checkChoice(problems, 'synchronous.dataDurability', sync.dataDurability, DataDurability);
}

function checkConfiguration(problems: Problems, props: PostgresClusterProps, instances: number): void {
  checkParameters(problems, 'parameters', props.parameters);
  checkPgHba(problems, 'pgHba', props.pgHba);
  checkLibraries(problems, 'sharedPreloadLibraries', props.sharedPreloadLibraries);
  if (props.synchronous !== undefined) checkSynchronous(problems, props.synchronous, instances);
  checkLabels(problems, 'workloadIdentity.serviceAccountAnnotations', props.workloadIdentity?.serviceAccountAnnotations, 'annotations');
  checkLabels(problems, 'workloadIdentity.podLabels', props.workloadIdentity?.podLabels);
}

function checkBootstrapAndRoles(problems: Problems, props: PostgresClusterProps, name: string): ResolvedBootstrap {
  let bootstrap = props.bootstrap ?? Bootstrap.initdb();
  if (!problems.check(bootstrap instanceof Bootstrap, 'bootstrap', bootstrap, 'is not a Bootstrap',
    'use one of Bootstrap.initdb(...), Bootstrap.recovery(...) and Bootstrap.clone(...)')) {
    bootstrap = Bootstrap.initdb();
  }
  const resolved = bootstrap._resolve(problems, { walStorage: props.walStorage !== undefined });
  const roles = checkRoles(problems, 'roles', props.roles);
  problems.check(!roles.has(resolved.owner), 'roles', resolved.owner, `redeclares the bootstrap owner "${resolved.owner}"`, 'remove it from roles; the bootstrap owns it');
  roles.add(resolved.owner);
  checkDatabases(problems, 'databases', name, props.databases, roles, resolved.database);
  return resolved;
}

/** A recovery must not read from the archive this cluster writes to. */
function checkRecoveryArchive(problems: Problems, bootstrap: ResolvedBootstrap, backup: ResolvedBackup | undefined): void {
  const store = bootstrap.recoveryStore;
  if (!store || !backup?.props.objectStore) return;
  problems.check(!(store.name === backup.storeName && store.serverName === backup.serverName), 'bootstrap.recovery.objectStore.serverName', store.serverName,
    `is the server name this cluster archives to in the same ObjectStore "${backup.storeName}"; the new cluster would write over the backups it recovers from`,
    'archive the new cluster under another server name (rename the cluster or use another ObjectStore)');
}

function checkTls(problems: Problems, tls: TlsProps): void {
  for (const key of ['serverTlsSecret', 'serverCaSecret', 'clientCaSecret', 'replicationTlsSecret'] as const) {
    if (tls[key] !== undefined) checkObjectName(problems, `tls.${key}`, tls[key], 'Secret');
  }
  problems.check(tls.serverTlsSecret === undefined || tls.serverCaSecret !== undefined, 'tls.serverCaSecret', tls.serverCaSecret,
    'is required with serverTlsSecret', 'give the Secret holding ca.crt of the CA that signed the server certificate');
  problems.check(tls.replicationTlsSecret === undefined || tls.clientCaSecret !== undefined, 'tls.clientCaSecret', tls.clientCaSecret,
    'is required with replicationTlsSecret', 'give the Secret holding ca.crt of the CA that signed the replication certificate');
}

function checkOptions(problems: Problems, props: PostgresClusterProps) {
  const operatorNamespace = props.network?.operatorNamespace ?? 'cnpg-system';
  problems.check(isDns1123Label(operatorNamespace), 'network.operatorNamespace', operatorNamespace, 'is not a namespace name', 'give e.g. "cnpg-system"');
  if (props.tls !== undefined) checkTls(problems, props.tls);
  const primaryUpdateStrategy = props.primaryUpdateStrategy ?? PrimaryUpdateStrategy.UNSUPERVISED;
  checkChoice(problems, 'primaryUpdateStrategy', primaryUpdateStrategy, PrimaryUpdateStrategy);
  const primaryUpdateMethod = props.primaryUpdateMethod ?? PrimaryUpdateMethod.SWITCHOVER;
  checkChoice(problems, 'primaryUpdateMethod', primaryUpdateMethod, PrimaryUpdateMethod);
  checkFindingIds(problems, 'acknowledge', props.acknowledge);
  if (props.description !== undefined) {
    problems.check(typeof props.description === 'string' && props.description.length <= 1024, 'description', props.description, 'is not a short text', 'give at most 1024 characters');
  }
  const superuserAccess = props.superuserAccess ?? false;
  const disruptionBudget = props.disruptionBudget ?? true;
  for (const [key, value] of [['superuserAccess', superuserAccess], ['disruptionBudget', disruptionBudget]] as const) {
    problems.check(typeof value === 'boolean', key, value, 'must be true or false', 'leave it out for the default');
  }
  return { operatorNamespace, superuserAccess, disruptionBudget, primaryUpdateStrategy, primaryUpdateMethod };
}
