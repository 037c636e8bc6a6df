import { egressNeeds, ResolvedPostgresEgress, resolvePostgresEgress } from './egress';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { Problems } from '../../core/errors';
import { checkChoice, checkFindingIds, checkLabels, checkName, checkObjectName, isDns1123Label } from '../../core/names';
import { resolveNamespace } from '../../core/namespace';
import { checkInteger, checkQuantity } from '../../core/quantity';
import { databaseResources } from '../../core/resources';
import { ResolvedStorage, checkStorage } from '../../core/storage';
import { Bootstrap } from '../bootstrap';
import { ExternalCluster } from '../external-cluster';
import {
  DataDurability, PostgresClusterProps, PostgresResourceProps, PrimaryUpdateMethod, PrimaryUpdateStrategy, SynchronousMethod, SynchronousReplicationProps, TlsProps,
} from '../cluster-props';
import { DatabaseProps } from '../database';
import { PostgresVersion } from '../version';
import { ResolvedBackup, checkBackup } from './backup';
import { ResolvedBootstrap, checkSameMajor } from './bootstrap';
import { ResolvedExternalCluster } from './external-clusters';
import { ResolvedLogicalBackup, checkLogicalBackup } from './logical-backup';
import { ResolvedMonitoring, checkMonitoring } from './monitoring';
import { checkLibraries, checkParameters, checkPgHba } from './parameters';
import { checkPoolers, ResolvedPooler } from './pooler';
import { checkExtensionImages } from './extension-images';
import { ResolvedLifecycle, checkLifecycle } from './lifecycle';
import { ResolvedTablespace, checkTablespaces } from './tablespaces';
import { ResolvedReplica, checkReplica } from './replica';
import { ResolvedSubscription, checkPublications, checkSubscriptions } from './logical-replication';
import type { PublicationProps } from '../logical-replication';
import { checkDatabases, checkRoles } from './roles';
import { Ensure, RoleProps } from '../roles';
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
  /** Set when the memory request is below the limit on purpose (`resources.memoryRequest`). */
  readonly memoryRequestBelowLimit?: string;
  readonly scheduling: ResolvedScheduling;
  readonly bootstrap: ResolvedBootstrap;
  /** Every `externalClusters` entry: bootstrap source, replica source, extra entries; no two with one name. */
  readonly externalClusters: ResolvedExternalCluster[];
  readonly replica?: ResolvedReplica;
  readonly publications: PublicationProps[];
  readonly lifecycle: ResolvedLifecycle;
  readonly tablespaces: ResolvedTablespace[];
  readonly subscriptions: ResolvedSubscription[];
  readonly roles: RoleProps[];
  readonly databases: DatabaseProps[];
  readonly backup?: ResolvedBackup;
  readonly logicalBackup?: ResolvedLogicalBackup;
  /** Every Pooler object: the `pooler` prop's (read-write, then read-only), then the `poolers` entries'. */
  readonly poolers: ResolvedPooler[];
  readonly monitoring: ResolvedMonitoring;
  readonly operatorNamespace: string;
  /** Restricted egress, when asked for. */
  readonly egress?: ResolvedPostgresEgress;
  /** Whether the instances read or write a bucket. */
  readonly usesObjectStorage: boolean;
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
  const resources = instanceResources(problems, props.resources);
  const scheduling = checkScheduling(problems, 'scheduling', props.scheduling);
  checkConfiguration(problems, props, instances);
  const major = version instanceof PostgresVersion ? version.majorVersion : PostgresVersion.DEFAULT.majorVersion;
  const context = { namespace, clusterName: name, majorVersion: major, walStorage: props.walStorage !== undefined };
  checkExtensionImages(problems, 'extensionImages', props.extensionImages, major);
  const replica = props.replica === undefined ? undefined : checkReplica(problems, 'replica', props.replica, context);
  const bootstrap = checkBootstrapAndRoles(problems, props, context);
  const databaseNames = new Set([bootstrap.database, ...(props.databases ?? []).filter(d => (d?.ensure ?? Ensure.PRESENT) === Ensure.PRESENT).map(d => d?.name)]);
  const publications = checkPublications(problems, 'publications', props.publications, databaseNames);
  const subscriptions = checkSubscriptions(problems, 'subscriptions', props.subscriptions, databaseNames, context);
  const externalClusters = checkExternalClusters(problems, props, context, bootstrap, replica, subscriptions);
  const backup = checkBackup(problems, 'backup', name, props.backup);
  checkRecoveryArchive(problems, bootstrap, backup);
  const logicalBackup = props.logicalBackup === undefined ? undefined
    : checkLogicalBackup(problems, 'logicalBackup', name, props.logicalBackup, version instanceof PostgresVersion ? version : PostgresVersion.DEFAULT);
  const poolers = checkPoolers(problems, name, props.pooler, props.poolers);
  const monitoring = checkMonitoring(problems, 'monitoring', props.monitoring);
  const options = checkOptions(problems, props);
  const lifecycle = checkLifecycle(problems, props, major);
  const tablespaces = checkTablespaces(problems, 'tablespaces', props.tablespaces, bootstrap.roleNames);
  const needs = egressNeeds(backup?.props.objectStore !== undefined, bootstrap.recoveryStore !== undefined, externalClusters);
  const egress = resolvePostgresEgress(problems, props.egress, needs);
  problems.throwIfAny();
  return {
    props, name, namespace, instances, version, storage: storage!, walStorage, resources: resources!.requirements, memoryRequestBelowLimit: resources?.memoryRequestBelowLimit, scheduling, bootstrap, externalClusters, replica, publications, subscriptions, lifecycle, tablespaces,
    roles: props.roles ?? [], databases: props.databases ?? [], backup, logicalBackup, poolers, monitoring, ...options, egress, usesObjectStorage: needs.objectStorage,
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

/** The bootstrap a replica cluster needs when none is given: a copy of its source. */
function replicaBootstrap(props: PostgresClusterProps): Bootstrap | undefined {
  const source = props.replica?.source;
  if (!(source instanceof ExternalCluster)) return undefined;
  return source._isObjectStore ? Bootstrap.recovery({ source }) : Bootstrap.clone({ source });
}

function checkBootstrapAndRoles(problems: Problems, props: PostgresClusterProps, context: BootstrapContextOf): ResolvedBootstrap & { roleNames: Set<string> } {
  let bootstrap = props.bootstrap ?? replicaBootstrap(props) ?? Bootstrap.initdb();
  if (!problems.check(bootstrap instanceof Bootstrap, 'bootstrap', bootstrap, 'is not a Bootstrap',
    'use one of Bootstrap.initdb(...), recovery(...), clone(...) and logicalImport(...)')) {
    bootstrap = Bootstrap.initdb();
  }
  const resolved = bootstrap._resolve(problems, context);
  if (props.replica !== undefined) {
    problems.check(bootstrap.method === 'recovery' || bootstrap.method === 'clone', 'bootstrap', bootstrap.method,
      'cannot start a replica cluster: it must begin as a physical copy of its source', 'use Bootstrap.recovery(...) or Bootstrap.clone(...), or leave bootstrap out (it copies replica.source)');
  }
  const roles = checkRoles(problems, 'roles', props.roles);
  const ownerRole = (props.roles ?? []).find(r => r?.name === resolved.owner);
  if (ownerRole) {
    problems.check((ownerRole.ensure ?? Ensure.PRESENT) === Ensure.PRESENT && ownerRole.login !== false, 'roles', resolved.owner,
      `would drop or lock out the bootstrap owner "${resolved.owner}"`, 'keep ensure PRESENT and login true for the owner, or remove it from roles');
    problems.check(ownerRole.passwordSecret === undefined || ownerRole.passwordSecret === (resolved.secret ?? `${context.clusterName}-app`), 'roles', ownerRole.passwordSecret,
      `gives the bootstrap owner "${resolved.owner}" another password Secret than the bootstrap's`, 'leave passwordSecret out for the owner (the bootstrap Secret stays its password)');
  }
  roles.add(resolved.owner);
  checkDatabases(problems, 'databases', context.clusterName, props.databases, roles, resolved);
  return { ...resolved, roleNames: roles };
}

type BootstrapContextOf = { namespace: string; clusterName: string; majorVersion: string; walStorage: boolean };

/** Collects every external cluster; one name is one definition. */
function checkExternalClusters(problems: Problems, props: PostgresClusterProps, context: BootstrapContextOf, bootstrap: ResolvedBootstrap,
  replica: ResolvedReplica | undefined, subscriptions: ResolvedSubscription[]): ResolvedExternalCluster[] {
  const all: Array<[string, ResolvedExternalCluster]> = bootstrap.sources.map(s => ['bootstrap', s]);
  subscriptions.forEach((s, i) => all.push([`subscriptions[${i}].source`, s.source]));
  if (replica) {
    all.push(['replica.source', replica.source]);
    checkSameMajor(problems, 'replica.source', replica.source, context.majorVersion, 'a replica cluster replays the source\'s WAL and');
  }
  if (props.externalClusters !== undefined && problems.check(Array.isArray(props.externalClusters), 'externalClusters', props.externalClusters,
    'is not a list of ExternalCluster', 'give e.g. [ExternalCluster.fromServer(...)]')) {
    props.externalClusters.forEach((c, i) => {
      const field = `externalClusters[${i}]`;
      if (!problems.check(c instanceof ExternalCluster, field, c, 'is not an ExternalCluster', 'use ExternalCluster.fromServer(...) or another factory')) return;
      const resolved = c._resolve(problems, field, context);
      if (resolved) all.push([field, resolved]);
    });
  }
  const byName = new Map<string, ResolvedExternalCluster>();
  for (const [field, source] of all) {
    const known = byName.get(source.name);
    if (known) {
      problems.check(JSON.stringify(known.entry) === JSON.stringify(source.entry), field, source.name, 'names an external cluster that another prop defines differently',
        'define the source once (one ExternalCluster) and pass it everywhere, or give the two different names');
    } else {
      byName.set(source.name, source);
    }
  }
  const spec = replica?.spec;
  if (spec?.primary !== undefined) {
    const names = new Set([...byName.keys(), spec.self!]);
    problems.check(names.has(spec.primary), 'replica.primary', spec.primary, 'is neither this cluster nor one of its external clusters', `name one of: ${[...names].sort().join(', ')}`);
    problems.check(spec.self !== spec.source, 'replica.selfName', spec.self, 'is the replica source', 'give this cluster\'s own name in the topology');
  }
  return [...byName.values()];
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

/** The instances' resources: memory request equal to the limit unless `memoryRequest` lowers it. */
function instanceResources(problems: Problems, props: PostgresResourceProps | undefined): { requirements: k8s.ResourceRequirements; memoryRequestBelowLimit?: string } | undefined {
  const resolved = databaseResources(problems, 'resources', props, { cpu: '500m', memory: '1Gi', minMemory: '256Mi' });
  if (props?.memoryRequest === undefined) return resolved && { requirements: resolved.requirements };
  const request = checkQuantity(problems, 'resources.memoryRequest', props.memoryRequest, '512Mi', { size: '256Mi', reason: 'too little for a PostgreSQL instance' });
  if (resolved === undefined || request === undefined) return undefined;
  if (!problems.check(request <= resolved.memoryBytes, 'resources.memoryRequest', props.memoryRequest, 'is above the memory limit',
    'give a request at most `resources.memory`, or leave it out to request the limit')) return undefined;
  if (request === resolved.memoryBytes) return { requirements: resolved.requirements };
  const requirements = { ...resolved.requirements, requests: { ...resolved.requirements.requests, memory: k8s.Quantity.fromString(props.memoryRequest) } };
  return { requirements, memoryRequestBelowLimit: `memory request ${props.memoryRequest} below the limit ${props.memory ?? '1Gi'} on purpose (resources.memoryRequest)` };
}
