import { ClusterSpecBootstrap, ClusterSpecExternalClusters } from '../../../imports/cnpg-clusters-postgresql.cnpg.io';
import { SecretKeyReference, checkSecretKeyReference } from '../../core/credentials';
import { Problems } from '../../core/errors';
import { checkChoice, checkObjectName, isDns1123Label, isDns1123Subdomain } from '../../core/names';
import { checkInteger } from '../../core/quantity';
import type { CloneProps, InitdbProps, RecoveryObjectStore, RecoveryProps } from '../bootstrap';
import { CloneSslMode } from '../bootstrap';
import { checkServerName } from './backup';
import { BARMAN_CLOUD_PLUGIN, IDENTIFIER, ORIGIN, POSTGRES_PORT } from './constants';
import { isRfc3339 } from './roles';

/** What a bootstrap method needs to know about the cluster. */
export interface BootstrapContext {
  /** Whether the cluster declares a WAL volume. */
  readonly walStorage: boolean;
}

/** A validated bootstrap: the application database and what the Cluster renders. */
export interface ResolvedBootstrap {
  readonly database: string;
  readonly owner: string;
  /** The owner's Secret, when the user supplies it. */
  readonly secret?: string;
  readonly spec: ClusterSpecBootstrap;
  readonly externalClusters: ClusterSpecExternalClusters[];
  /** The ObjectStore a recovery reads from. */
  readonly recoveryStore?: RecoveryObjectStore;
}

/** The fields every method shares. */
interface Common {
  readonly database?: string;
  readonly owner?: string;
  readonly secret?: string;
}

/** One bootstrap method: validates its own props and renders them. Add a method by adding an entry. */
interface Method {
  check(problems: Problems, field: string, props: any, context: BootstrapContext): void;
  render(props: any, common: { database: string; owner: string; secret?: { name: string } }): Pick<ResolvedBootstrap, 'spec' | 'externalClusters'>;
}

const METHODS: Record<string, Method> = {
  initdb: { check: checkInitdb, render: renderInitdb },
  recovery: { check: checkRecovery, render: renderRecovery },
  clone: { check: checkClone, render: renderClone },
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
  const handler = METHODS[method];
  handler.check(problems, field, props, context);
  const rendered = problems.empty ? handler.render(props, { database, owner, secret: props.secret ? { name: props.secret } : undefined }) : { spec: {}, externalClusters: [] };
  return { database, owner, secret: props.secret, ...rendered, recoveryStore: method === 'recovery' ? (props as RecoveryProps).objectStore : undefined };
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

function renderInitdb(i: InitdbProps, common: { database: string; owner: string; secret?: { name: string } }): Pick<ResolvedBootstrap, 'spec' | 'externalClusters'> {
  return {
    externalClusters: [],
    spec: {
      initdb: {
        ...common,
        dataChecksums: i.dataChecksums ?? true,
        encoding: i.encoding ?? 'UTF8',
        localeCollate: i.locale,
        localeCType: i.locale,
        postInitApplicationSql: i.postInitApplicationSql,
      },
    },
  };
}

function checkRecovery(problems: Problems, field: string, recovery: RecoveryProps, context: BootstrapContext): void {
  problems.check(recovery.objectStore !== undefined || recovery.volumeSnapshots !== undefined, field, recovery,
    'names no backup to recover from', 'give objectStore (ObjectStore name and server name), volumeSnapshots, or both');
  if (recovery.objectStore !== undefined) {
    problems.check(isDns1123Label(recovery.objectStore.name), `${field}.objectStore.name`, recovery.objectStore.name, 'is not an ObjectStore name', 'name the ObjectStore holding the backups');
    checkServerName(problems, `${field}.objectStore.serverName`, recovery.objectStore.serverName);
  }
  const snapshots = recovery.volumeSnapshots;
  if (snapshots !== undefined) {
    checkObjectName(problems, `${field}.volumeSnapshots.storage`, snapshots.storage, 'VolumeSnapshot');
    if (snapshots.walStorage !== undefined) checkObjectName(problems, `${field}.volumeSnapshots.walStorage`, snapshots.walStorage, 'VolumeSnapshot');
    problems.check((snapshots.walStorage !== undefined) === context.walStorage, `${field}.volumeSnapshots.walStorage`,
      snapshots.walStorage, 'must be given exactly when walStorage is declared', 'give a WAL snapshot together with walStorage, or neither');
  }
  if (recovery.targetTime !== undefined && problems.check(isRfc3339(recovery.targetTime), `${field}.targetTime`, recovery.targetTime,
    'is not an RFC 3339 timestamp with a time zone', 'give e.g. "2026-03-01T12:00:00Z"')) {
    problems.check(recovery.objectStore !== undefined, `${field}.targetTime`, recovery.targetTime,
      'needs WAL from an object store to replay up to that time', 'add bootstrap.recovery.objectStore');
  }
}

function snapshot(name: string) {
  return { name, kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' };
}

function renderRecovery(r: RecoveryProps, common: { database: string; owner: string; secret?: { name: string } }): Pick<ResolvedBootstrap, 'spec' | 'externalClusters'> {
  return {
    externalClusters: r.objectStore
      ? [{ name: ORIGIN, plugin: { name: BARMAN_CLOUD_PLUGIN, parameters: { barmanObjectName: r.objectStore.name, serverName: r.objectStore.serverName } } }]
      : [],
    spec: {
      recovery: {
        ...common,
        source: r.objectStore ? ORIGIN : undefined,
        volumeSnapshots: r.volumeSnapshots ? {
          storage: snapshot(r.volumeSnapshots.storage),
          walStorage: r.volumeSnapshots.walStorage ? snapshot(r.volumeSnapshots.walStorage) : undefined,
        } : undefined,
        recoveryTarget: r.targetTime ? { targetTime: r.targetTime } : undefined,
      },
    },
  };
}

function cloneRefs(clone: CloneProps): Array<[string, SecretKeyReference | undefined]> {
  return [['password', clone.password], ['tls.cert', clone.tls?.cert], ['tls.key', clone.tls?.key], ['tls.rootCert', clone.tls?.rootCert]];
}

function checkClone(problems: Problems, field: string, clone: CloneProps): void {
  problems.check(isDns1123Subdomain(typeof clone.host === 'string' ? clone.host.toLowerCase() : clone.host), `${field}.host`, clone.host,
    'is not a host name', 'give the DNS name of the source, e.g. "old-db-rw.legacy.svc"');
  if (clone.port !== undefined) checkInteger(problems, `${field}.port`, clone.port, 1, 65535);
  if (clone.user !== undefined) problems.check(typeof clone.user === 'string' && IDENTIFIER.test(clone.user), `${field}.user`, clone.user, 'is not a role name', 'use e.g. "streaming_replica"');
  if (clone.dbname !== undefined) problems.check(typeof clone.dbname === 'string' && IDENTIFIER.test(clone.dbname), `${field}.dbname`, clone.dbname, 'is not a database name', 'use e.g. "postgres"');
  problems.check(clone.password !== undefined || clone.tls !== undefined, field, '(credentials)', 'gives no way to authenticate to the source',
    'give password (a Secret key reference) or tls client certificates');
  for (const [key, ref] of cloneRefs(clone)) {
    if (ref !== undefined) checkSecretKeyReference(problems, `${field}.${key}`, ref);
  }
  if (clone.sslMode !== undefined) checkChoice(problems, `${field}.sslMode`, clone.sslMode, CloneSslMode);
}

function renderClone(c: CloneProps, common: { database: string; owner: string; secret?: { name: string } }): Pick<ResolvedBootstrap, 'spec' | 'externalClusters'> {
  const ref = (s?: SecretKeyReference) => (s ? { name: s.secretName, key: s.key } : undefined);
  return {
    externalClusters: [{
      name: ORIGIN,
      connectionParameters: {
        host: c.host,
        port: String(c.port ?? POSTGRES_PORT),
        user: c.user ?? 'streaming_replica',
        dbname: c.dbname ?? 'postgres',
        sslmode: c.sslMode ?? (c.tls ? CloneSslMode.VERIFY_FULL : CloneSslMode.REQUIRE),
      },
      password: ref(c.password),
      sslCert: ref(c.tls?.cert),
      sslKey: ref(c.tls?.key),
      sslRootCert: ref(c.tls?.rootCert),
    }],
    spec: { pgBasebackup: { source: ORIGIN, ...common } },
  };
}
