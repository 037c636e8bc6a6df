import { ClusterSpecBootstrap, ClusterSpecBootstrapInitdbImportType } from '../../../imports/cnpg-clusters-postgresql.cnpg.io';
import { Problems } from '../../core/errors';
import { checkChoice, checkObjectName } from '../../core/names';
import type { CloneProps, ImportProps, InitdbProps, RecoveryProps } from '../bootstrap';
import { ImportType } from '../bootstrap';
import { ExternalCluster } from '../external-cluster';
import { IDENTIFIER, ORIGIN } from './constants';
import { ExternalSourceContext, ResolvedExternalCluster, resolveObjectStoreSource, resolveServerSource } from './external-clusters';
import { isRfc3339 } from './roles';

/** What a bootstrap method needs to know about the cluster. */
export interface BootstrapContext extends ExternalSourceContext {
  /** Whether the cluster declares a WAL volume. */
  readonly walStorage: boolean;
  /** The cluster's PostgreSQL major version. */
  readonly majorVersion: string;
}

/** A validated bootstrap: the application database and what the Cluster renders. */
export interface ResolvedBootstrap {
  readonly database: string;
  readonly owner: string;
  /** The owner's Secret, when the user supplies it. */
  readonly secret?: string;
  readonly spec: ClusterSpecBootstrap;
  /** The external clusters the method reads from. */
  readonly sources: ResolvedExternalCluster[];
  /** The ObjectStore a recovery reads from. */
  readonly recoveryStore?: { readonly name: string; readonly serverName: string };
}

/** The fields every method shares. */
interface Common {
  readonly database?: string;
  readonly owner?: string;
  readonly secret?: string;
}

type CommonSpec = { database: string; owner: string; secret?: { name: string } };
type Rendered = Pick<ResolvedBootstrap, 'spec' | 'sources'>;

/** One bootstrap method: validates its props and resolves what it renders (called with every problem so far). */
type Method = (problems: Problems, field: string, props: any, context: BootstrapContext, common: CommonSpec) => Rendered;

const METHODS: Record<string, Method> = {
  initdb: resolveInitdb,
  recovery: resolveRecovery,
  clone: resolveClone,
  logicalImport: resolveImport,
};

/** Validates a bootstrap method and resolves it; problems are recorded under `bootstrap.<method>`. */
export function resolveBootstrap(problems: Problems, method: string, props: Common, context: BootstrapContext): ResolvedBootstrap {
  const field = `bootstrap.${method}`;
  const database = props.database ?? 'app';
  const owner = props.owner ?? database;
  problems.check(typeof database === 'string' && IDENTIFIER.test(database) && !['postgres', 'template0', 'template1'].includes(database),
    `${field}.database`, database, 'is not a lowercase PostgreSQL identifier for an application database', 'use e.g. "app" or "orders"');
  problems.check(typeof owner === 'string' && IDENTIFIER.test(owner) && owner !== 'postgres' && owner !== 'streaming_replica' && !owner.startsWith('pg_'),
    `${field}.owner`, owner, 'is not a usable role name', 'use a lowercase identifier other than postgres, streaming_replica or pg_*');
  if (props.secret !== undefined) checkObjectName(problems, `${field}.secret`, props.secret, 'Secret');
  const rendered = METHODS[method](problems, field, props, context, { database, owner, secret: props.secret ? { name: props.secret } : undefined });
  const store = rendered.sources.find(s => s.kind === 'objectStore')?.entry.plugin?.parameters;
  return {
    database, owner, secret: props.secret, ...rendered,
    recoveryStore: method === 'recovery' && store ? { name: store.barmanObjectName, serverName: store.serverName } : undefined,
  };
}

/** Resolves a source given as an ExternalCluster and checks that it is of the kind the method reads. */
function resolveSource(problems: Problems, field: string, source: unknown, kind: ResolvedExternalCluster['kind'], context: BootstrapContext): ResolvedExternalCluster | undefined {
  const factories = kind === 'connection' ? 'ExternalCluster.fromCluster(...) or fromServer(...)' : 'ExternalCluster.fromClusterBackup(...) or fromObjectStore(...)';
  if (!problems.check(source instanceof ExternalCluster, field, source, 'is not an ExternalCluster', `use ${factories}`)) return undefined;
  const resolved = (source as ExternalCluster)._resolve(problems, field, context);
  if (resolved && !problems.check(resolved.kind === kind, field, resolved.name,
    kind === 'connection' ? 'is an object store, but this reads from a running server' : 'is a server connection, but this reads base backups and WAL from an object store', `use ${factories}`)) return undefined;
  return resolved;
}

/** Physical copies (clone, recovery, replica) need the same major version: pg_basebackup and WAL replay cannot cross majors. */
export function checkSameMajor(problems: Problems, field: string, source: ResolvedExternalCluster | undefined, majorVersion: string, what: string): void {
  if (!source?.majorVersion) return;
  problems.check(source.majorVersion === majorVersion, field, source.name,
    `is PostgreSQL ${source.majorVersion} and this cluster is ${majorVersion}: ${what} copies data files, which only the same major version reads`,
    `use Bootstrap.logicalImport({ source, ... }) (pg_dump/pg_restore works across majors), or a PostgresMajorUpgrade for a zero-downtime move; or keep version at ${source.majorVersion}`);
}

function initdbSpec(i: InitdbProps, common: CommonSpec) {
  return {
    ...common,
    dataChecksums: i.dataChecksums ?? true,
    encoding: i.encoding ?? 'UTF8',
    localeCollate: i.locale,
    localeCType: i.locale,
    postInitApplicationSql: i.postInitApplicationSql,
  };
}

function resolveInitdb(problems: Problems, field: string, i: InitdbProps, _context: BootstrapContext, common: CommonSpec): Rendered {
  checkInitdb(problems, field, i);
  return { sources: [], spec: { initdb: initdbSpec(i, common) } };
}

function checkInitdb(problems: Problems, field: string, initdb: InitdbProps): void {
  if (initdb.postInitApplicationSql !== undefined) {
    problems.check(Array.isArray(initdb.postInitApplicationSql) && initdb.postInitApplicationSql.every(s => typeof s === 'string' && s.trim() !== ''),
      `${field}.postInitApplicationSql`, initdb.postInitApplicationSql, 'is not a list of SQL statements', 'give e.g. ["CREATE EXTENSION pg_trgm"]');
  }
  if (initdb.encoding !== undefined) {
    problems.check(typeof initdb.encoding === 'string' && /^[A-Za-z0-9_]+$/.test(initdb.encoding), `${field}.encoding`, initdb.encoding, 'is not an encoding name', 'use e.g. "UTF8"');
  }
  if (initdb.locale !== undefined) {
    problems.check(typeof initdb.locale === 'string' && /^[A-Za-z0-9_.@-]+$/.test(initdb.locale), `${field}.locale`, initdb.locale, 'is not a locale name', 'use e.g. "C" or "en_US.UTF-8"');
  }
}

function checkStrings(problems: Problems, field: string, list: unknown, example: string): void {
  if (list === undefined) return;
  problems.check(Array.isArray(list) && list.every(x => typeof x === 'string' && x.trim() !== ''), field, list, 'is not a list of non-empty strings', `give e.g. ${example}`);
}

function resolveImport(problems: Problems, field: string, i: ImportProps, context: BootstrapContext, common: CommonSpec): Rendered {
  checkInitdb(problems, field, i);
  const source = resolveSource(problems, `${field}.source`, i.source, 'connection', context);
  const type = i.importType ?? ImportType.MICROSERVICE;
  checkChoice(problems, `${field}.importType`, type, ImportType);
  const names = i.databases;
  if (problems.check(Array.isArray(names) && names.length > 0 && names.every(d => typeof d === 'string' && (d === '*' || IDENTIFIER.test(d))), `${field}.databases`, names,
    'is not a non-empty list of database names', 'give e.g. ["orders"]')) {
    if (type === ImportType.MICROSERVICE) {
      problems.check(names.length === 1 && names[0] !== '*', `${field}.databases`, names, 'must name exactly one database for a microservice import (it becomes the application database)',
        'give one database, or use importType ImportType.MONOLITH');
    }
  }
  if (i.roles !== undefined) {
    problems.check(type === ImportType.MONOLITH, `${field}.roles`, i.roles, 'is only used by a monolith import', 'leave roles out, or use importType ImportType.MONOLITH');
    problems.check(Array.isArray(i.roles) && i.roles.every(r => typeof r === 'string' && (r === '*' || IDENTIFIER.test(r))), `${field}.roles`, i.roles, 'is not a list of role names', 'give e.g. ["*"] or ["reporting"]');
  }
  if (i.postImportApplicationSql !== undefined) {
    problems.check(type === ImportType.MICROSERVICE, `${field}.postImportApplicationSql`, i.postImportApplicationSql, 'runs only after a microservice import', 'use postInitApplicationSql, or a microservice import');
    checkStrings(problems, `${field}.postImportApplicationSql`, i.postImportApplicationSql, '["ANALYZE"]');
  }
  checkStrings(problems, `${field}.pgDumpExtraOptions`, i.pgDumpExtraOptions, '["--no-comments"]');
  checkStrings(problems, `${field}.pgRestoreExtraOptions`, i.pgRestoreExtraOptions, '["--jobs=4"]');
  for (const [key, list] of [['pgDumpExtraOptions', i.pgDumpExtraOptions], ['pgRestoreExtraOptions', i.pgRestoreExtraOptions]] as const) {
    if (Array.isArray(list)) {
      problems.check(list.every(o => typeof o === 'string' && o.startsWith('-')), `${field}.${key}`, list, 'holds something that is not an option', 'give options starting with "-", e.g. "--jobs=4"');
    }
  }
  if (i.schemaOnly !== undefined) problems.check(typeof i.schemaOnly === 'boolean', `${field}.schemaOnly`, i.schemaOnly, 'must be true or false', 'leave it out to import rows too');
  if (!problems.empty || !source) return { spec: {}, sources: [] };
  return {
    sources: [source],
    spec: {
      initdb: {
        ...initdbSpec(i, common),
        import: {
          type: type === ImportType.MONOLITH ? ClusterSpecBootstrapInitdbImportType.MONOLITH : ClusterSpecBootstrapInitdbImportType.MICROSERVICE,
          databases: [...names],
          roles: i.roles ? [...i.roles] : undefined,
          source: { externalCluster: source.name },
          schemaOnly: i.schemaOnly,
          pgDumpExtraOptions: i.pgDumpExtraOptions ? [...i.pgDumpExtraOptions] : undefined,
          pgRestoreExtraOptions: i.pgRestoreExtraOptions ? [...i.pgRestoreExtraOptions] : undefined,
          postImportApplicationSql: i.postImportApplicationSql ? [...i.postImportApplicationSql] : undefined,
        },
      },
    },
  };
}

function snapshot(name: string) {
  return { name, kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' };
}

function resolveRecovery(problems: Problems, field: string, r: RecoveryProps, context: BootstrapContext, common: CommonSpec): Rendered {
  problems.check(r.source !== undefined || r.objectStore !== undefined || r.volumeSnapshots !== undefined || r.backupName !== undefined, field, r,
    'names no backup to recover from', 'give source (ExternalCluster.fromClusterBackup(...)), objectStore, volumeSnapshots, backupName, or a store with snapshots');
  if (r.backupName !== undefined) {
    checkObjectName(problems, `${field}.backupName`, r.backupName, 'Backup');
    // CloudNativePG refuses backup together with source or volumeSnapshots.
    for (const other of ['source', 'objectStore', 'volumeSnapshots', 'targetTime'] as const) {
      problems.check(r[other] === undefined, `${field}.${other}`, other, 'cannot be combined with backupName (CloudNativePG restores the Backup object as it is)',
        `remove ${other}, or remove backupName`);
    }
  }
  problems.check(r.source === undefined || r.objectStore === undefined, `${field}.source`, r.source?.name, 'and objectStore both name the backups', 'give one of them');
  let source: ResolvedExternalCluster | undefined;
  if (r.source !== undefined) {
    source = resolveSource(problems, `${field}.source`, r.source, 'objectStore', context);
  } else if (r.objectStore !== undefined) {
    source = resolveObjectStoreSource(problems, `${field}.objectStore`, context, { ...r.objectStore, objectStore: r.objectStore.name, name: ORIGIN }, undefined);
  }
  checkSameMajor(problems, r.source !== undefined ? `${field}.source` : `${field}.objectStore`, source, context.majorVersion, 'recovery replays WAL and');
  const snapshots = r.volumeSnapshots;
  if (snapshots !== undefined) {
    checkObjectName(problems, `${field}.volumeSnapshots.storage`, snapshots.storage, 'VolumeSnapshot');
    if (snapshots.walStorage !== undefined) checkObjectName(problems, `${field}.volumeSnapshots.walStorage`, snapshots.walStorage, 'VolumeSnapshot');
    problems.check((snapshots.walStorage !== undefined) === context.walStorage, `${field}.volumeSnapshots.walStorage`,
      snapshots.walStorage, 'must be given exactly when walStorage is declared', 'give a WAL snapshot together with walStorage, or neither');
  }
  if (r.targetTime !== undefined && problems.check(isRfc3339(r.targetTime), `${field}.targetTime`, r.targetTime,
    'is not an RFC 3339 timestamp with a time zone', 'give e.g. "2026-03-01T12:00:00Z"')) {
    problems.check(r.source !== undefined || r.objectStore !== undefined, `${field}.targetTime`, r.targetTime,
      'needs WAL from an object store to replay up to that time', 'add bootstrap.recovery.source or objectStore');
  }
  if (!problems.empty) return { spec: {}, sources: [] };
  return {
    sources: source ? [source] : [],
    spec: {
      recovery: {
        ...common,
        source: source?.name,
        backup: r.backupName !== undefined ? { name: r.backupName } : undefined,
        volumeSnapshots: snapshots ? { storage: snapshot(snapshots.storage), walStorage: snapshots.walStorage ? snapshot(snapshots.walStorage) : undefined } : undefined,
        recoveryTarget: r.targetTime ? { targetTime: r.targetTime } : undefined,
      },
    },
  };
}

function resolveClone(problems: Problems, field: string, c: CloneProps, context: BootstrapContext, common: CommonSpec): Rendered {
  let source: ResolvedExternalCluster | undefined;
  if (c.source !== undefined) {
    const inline = (['host', 'port', 'user', 'dbname', 'password', 'tls', 'sslMode'] as const).filter(k => c[k] !== undefined);
    problems.check(inline.length === 0, field, inline, 'repeats connection fields that source already defines', `remove ${inline.join(', ')}, or source`);
    source = resolveSource(problems, `${field}.source`, c.source, 'connection', context);
  } else {
    source = resolveServerSource(problems, field, context, { ...c, name: ORIGIN, host: c.host as string });
  }
  checkSameMajor(problems, c.source !== undefined ? `${field}.source` : field, source, context.majorVersion, 'pg_basebackup');
  if (!problems.empty || !source) return { spec: {}, sources: [] };
  return { sources: [source], spec: { pgBasebackup: { source: source.name, ...common } } };
}
