import { ClusterSpecExternalClusters } from '../../../imports/cnpg-clusters-postgresql.cnpg.io';
import { SecretKeyReference, checkSecretKeyReference } from '../../core/credentials';
import { Problems } from '../../core/errors';
import { checkChoice, isDns1123Label, isDns1123Subdomain } from '../../core/names';
import { checkInteger } from '../../core/quantity';
import { CloneSslMode } from '../bootstrap';
import type { PostgresCluster } from '../cluster';
import type { ClusterSourceOptions, ExternalServerProps, ObjectStoreSourceProps } from '../external-cluster';
import { checkServerName } from './backup';
import { BARMAN_CLOUD_PLUGIN, IDENTIFIER, POSTGRES_PORT } from './constants';

/** The cluster a source is resolved for. */
export interface ExternalSourceContext {
  readonly namespace: string;
  readonly clusterName: string;
}

/** What a PostgresCluster tells clusters that read from it. */
export interface SourceInfo {
  readonly namespace: string;
  readonly host: string;
  /** Secret with the replication client certificate (`tls.crt`, `tls.key`). */
  readonly replicationTlsSecret: string;
  /** Secret with `ca.crt` of the server certificate's CA. */
  readonly serverCaSecret: string;
  readonly objectStore?: { readonly name: string; readonly serverName: string };
  /** Roles that will exist with the REPLICATION attribute. */
  readonly replicationRoles: readonly string[];
  /** The bootstrap owner and database. */
  readonly owner: string;
  readonly database: string;
}

/** A validated source: the `externalClusters` entry and what the checks need to know about it. */
export interface ResolvedExternalCluster {
  readonly name: string;
  readonly entry: ClusterSpecExternalClusters;
  /** `connection` for a live server (clone, import, replica by streaming, subscription); `objectStore` for backups. */
  readonly kind: 'connection' | 'objectStore';
  readonly majorVersion?: string;
  readonly user?: string;
  /** Roles of the source with REPLICATION, when the source is a cluster of the app. */
  readonly replicationRoles?: readonly string[];
  /** The cluster of the app this source connects to (its NetworkPolicy must admit the reader). */
  readonly cluster?: PostgresCluster;
  /** The ObjectStore read, when it must be rendered by the app (not declared external). */
  readonly requiredStore?: { readonly name: string; readonly namespace: string };
}

const ref = (s?: SecretKeyReference) => (s ? { name: s.secretName, key: s.key } : undefined);

function checkEntryName(problems: Problems, field: string, name: unknown): boolean {
  return problems.check(isDns1123Label(name), `${field}.name`, name, 'is not a usable externalClusters name', 'use a DNS-1123 label, e.g. "orders-pg16"');
}

function checkRole(problems: Problems, field: string, user: unknown): void {
  problems.check(typeof user === 'string' && IDENTIFIER.test(user), field, user, 'is not a role name', 'use a lowercase identifier, e.g. "streaming_replica"');
}

function checkMajor(problems: Problems, field: string, major: unknown): void {
  if (major !== undefined) problems.check(typeof major === 'string' && /^\d{1,2}$/.test(major), field, major, 'is not a PostgreSQL major version', 'give e.g. "16"');
}

/** Another PostgresCluster of the app. */
export function resolveClusterSource(problems: Problems, field: string, ctx: ExternalSourceContext, cluster: PostgresCluster, options: ClusterSourceOptions): ResolvedExternalCluster | undefined {
  const src = cluster._source;
  const name = options.name ?? cluster.name;
  if (!checkEntryName(problems, field, name)) return undefined;
  const user = options.user ?? 'streaming_replica';
  checkRole(problems, `${field}.user`, user);
  if (options.dbname !== undefined) checkRole(problems, `${field}.dbname`, options.dbname);
  problems.check(src.namespace === ctx.namespace, field, `${src.namespace}/${cluster.name}`,
    `is in namespace "${src.namespace}": its Secrets (CA, certificates, passwords) cannot be read from "${ctx.namespace}"`,
    'copy the Secrets into this namespace and use ExternalCluster.fromServer(...)');
  problems.check(cluster.name !== ctx.clusterName || src.namespace !== ctx.namespace, field, cluster.name, 'is this cluster itself', 'name another cluster');
  if (user === 'streaming_replica') {
    problems.check(options.password === undefined, `${field}.password`, options.password, 'is not used by streaming_replica, which authenticates with its client certificate', 'leave password out, or give another user');
  } else if (problems.check(options.password !== undefined, `${field}.password`, undefined, `is needed: "${user}" authenticates with a password`,
    'give the Secret key holding the password of that role (e.g. the passwordSecret of its managed role)')) {
    checkSecretKeyReference(problems, `${field}.password`, options.password);
  }
  if (!problems.empty) return undefined;
  const entry: ClusterSpecExternalClusters = {
    name,
    connectionParameters: { host: src.host, port: String(POSTGRES_PORT), user, dbname: options.dbname ?? 'postgres', sslmode: CloneSslMode.VERIFY_FULL },
    sslRootCert: { name: src.serverCaSecret, key: 'ca.crt' },
    ...(user === 'streaming_replica'
      ? { sslCert: { name: src.replicationTlsSecret, key: 'tls.crt' }, sslKey: { name: src.replicationTlsSecret, key: 'tls.key' } }
      : { password: ref(options.password) }),
  };
  return { name, entry, kind: 'connection', majorVersion: cluster.version.majorVersion, user, replicationRoles: src.replicationRoles, cluster };
}

/** A server outside the app. */
export function resolveServerSource(problems: Problems, field: string, _ctx: ExternalSourceContext, s: ExternalServerProps): ResolvedExternalCluster | undefined {
  if (!problems.check(typeof s === 'object' && s !== null, field, s, 'is not a server description', 'give { name, host, user, password }')) return undefined;
  checkEntryName(problems, field, s.name);
  problems.check(isDns1123Subdomain(typeof s.host === 'string' ? s.host.toLowerCase() : s.host), `${field}.host`, s.host,
    'is not a host name', 'give the DNS name of the server, e.g. "old-db-rw.legacy.svc"');
  if (s.port !== undefined) checkInteger(problems, `${field}.port`, s.port, 1, 65535);
  if (s.user !== undefined) checkRole(problems, `${field}.user`, s.user);
  if (s.dbname !== undefined) checkRole(problems, `${field}.dbname`, s.dbname);
  problems.check(s.password !== undefined || s.tls !== undefined, field, '(credentials)', 'gives no way to authenticate to the server',
    'give password (a Secret key reference) or tls client certificates');
  const refs: Array<[string, SecretKeyReference | undefined]> = [['password', s.password], ['tls.cert', s.tls?.cert], ['tls.key', s.tls?.key], ['tls.rootCert', s.tls?.rootCert]];
  for (const [key, r] of refs) if (r !== undefined) checkSecretKeyReference(problems, `${field}.${key}`, r);
  if (s.sslMode !== undefined) checkChoice(problems, `${field}.sslMode`, s.sslMode, CloneSslMode);
  checkMajor(problems, `${field}.majorVersion`, s.majorVersion);
  if (!problems.empty) return undefined;
  const user = s.user ?? 'streaming_replica';
  return {
    name: s.name,
    kind: 'connection',
    majorVersion: s.majorVersion,
    user,
    entry: {
      name: s.name,
      connectionParameters: {
        host: s.host, port: String(s.port ?? POSTGRES_PORT), user, dbname: s.dbname ?? 'postgres',
        sslmode: s.sslMode ?? (s.tls ? CloneSslMode.VERIFY_FULL : CloneSslMode.REQUIRE),
      },
      password: ref(s.password),
      sslCert: ref(s.tls?.cert),
      sslKey: ref(s.tls?.key),
      sslRootCert: ref(s.tls?.rootCert),
    },
  };
}

/** An ObjectStore with base backups and WAL; `renderedIn` is the namespace when a cluster of the app renders it. */
export function resolveObjectStoreSource(problems: Problems, field: string, ctx: ExternalSourceContext, s: ObjectStoreSourceProps, renderedIn: string | undefined): ResolvedExternalCluster | undefined {
  if (!problems.check(typeof s === 'object' && s !== null, field, s, 'is not an object store description', 'give { objectStore, serverName }')) return undefined;
  const name = s.name ?? s.serverName;
  checkEntryName(problems, field, name);
  problems.check(isDns1123Label(s.objectStore), `${field}.objectStore`, s.objectStore, 'is not an ObjectStore name', 'name the ObjectStore holding the backups');
  checkServerName(problems, `${field}.serverName`, s.serverName);
  checkMajor(problems, `${field}.majorVersion`, s.majorVersion);
  if (renderedIn !== undefined) {
    problems.check(renderedIn === ctx.namespace, field, `${renderedIn}/${s.objectStore}`, `is in namespace "${renderedIn}"; a cluster reads ObjectStores of its own namespace only`,
      'declare an ObjectStore with the same destination in this namespace and use ExternalCluster.fromObjectStore(...)');
  }
  if (s.external !== undefined) problems.check(typeof s.external === 'boolean', `${field}.external`, s.external, 'must be true or false', 'leave it out unless the ObjectStore is managed elsewhere');
  if (!problems.empty) return undefined;
  return {
    name,
    kind: 'objectStore',
    majorVersion: s.majorVersion,
    entry: { name, plugin: { name: BARMAN_CLOUD_PLUGIN, parameters: { barmanObjectName: s.objectStore, serverName: s.serverName } } },
    requiredStore: s.external || renderedIn !== undefined ? undefined : { name: s.objectStore, namespace: ctx.namespace },
  };
}
