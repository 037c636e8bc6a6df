import { SecretKeyReference } from '../core/credentials';
import { Problems } from '../core/errors';
import type { CloneSslMode, CloneTls } from './bootstrap';
import type { PostgresCluster } from './cluster';
import { ExternalSourceContext, ResolvedExternalCluster, resolveClusterSource, resolveObjectStoreSource, resolveServerSource } from './private/external-clusters';

/** Options of a source that is another PostgresCluster of the app. */
export interface ClusterSourceOptions {
  /** Name of the `externalClusters` entry. @default the source cluster's name */
  readonly name?: string;
  /**
   * Role to connect as. With `streaming_replica` (physical clone and replica clusters) the
   * source's replication client certificate authenticates; any other role needs `password`.
   * @default 'streaming_replica'
   */
  readonly user?: string;
  /** Password of `user` (a role of the source, e.g. a managed role with `replication: true`). @default none (TLS client certificate) */
  readonly password?: SecretKeyReference;
  /** Database to connect to. @default 'postgres' */
  readonly dbname?: string;
}

/** A PostgreSQL server outside the app, reached over the network. */
export interface ExternalServerProps {
  /** Name of the `externalClusters` entry (a DNS-1123 label). */
  readonly name: string;
  /** Host of the server. */
  readonly host: string;
  /** Port. @default 5432 */
  readonly port?: number;
  /** Role to connect as. @default 'streaming_replica' */
  readonly user?: string;
  /** Database to connect to. @default 'postgres' */
  readonly dbname?: string;
  /** Password of the user. @default none (use TLS client certificates) */
  readonly password?: SecretKeyReference;
  /** TLS client certificate, key and CA. @default none */
  readonly tls?: CloneTls;
  /** libpq sslmode. @default CloneSslMode.VERIFY_FULL with tls, else CloneSslMode.REQUIRE */
  readonly sslMode?: CloneSslMode;
  /** PostgreSQL major version of the server (e.g. '16'), for the cross-major checks. @default unknown (not checked) */
  readonly majorVersion?: string;
}

/** Base backups and WAL of a cluster in a Barman Cloud ObjectStore. */
export interface ObjectStoreSourceProps {
  /** Name of the `externalClusters` entry. @default the server name */
  readonly name?: string;
  /** Name of the ObjectStore, in the cluster's namespace. */
  readonly objectStore: string;
  /** Server name the source archived under (usually the source cluster's name). */
  readonly serverName: string;
  /**
   * The ObjectStore is managed outside this app. Without it, the app must render an ObjectStore of
   * that name in the namespace, or synthesis fails: a recovery from nothing.
   * @default false
   */
  readonly external?: boolean;
  /** PostgreSQL major version of the archived cluster, for the cross-major checks. @default unknown (not checked) */
  readonly majorVersion?: string;
}

/** Options of a source that is the object store another PostgresCluster of the app backs up to. */
export interface ClusterBackupSourceOptions {
  /** Name of the `externalClusters` entry. @default the source cluster's name */
  readonly name?: string;
}

/**
 * A source a cluster reads from (an `externalClusters` entry), defined once and used by
 * `Bootstrap.clone`, `Bootstrap.recovery`, `Bootstrap.logicalImport`, `replica` and `subscriptions`.
 *
 * ```ts
 * const old = ExternalCluster.fromCluster(orders16);                       // streaming_replica, TLS
 * const archive = ExternalCluster.fromClusterBackup(orders16);             // its ObjectStore
 * const legacy = ExternalCluster.fromServer({ name: 'legacy', host: 'db.example.com', user: 'migrator',
 *   password: { secretName: 'legacy-db', key: 'password' } });
 * ```
 */
export class ExternalCluster {
  /**
   * Another PostgresCluster of the app: host, TLS and credentials come from it. In another
   * namespace, its Secrets are not readable from here: use `fromServer` with copies.
   */
  public static fromCluster(cluster: PostgresCluster, options: ClusterSourceOptions = {}): ExternalCluster {
    return new ExternalCluster(options.name ?? cluster.name, false, (p, f, c) => resolveClusterSource(p, f, c, cluster, options));
  }

  /** The object store another PostgresCluster of the app archives to (it must declare `backup.objectStore`). */
  public static fromClusterBackup(cluster: PostgresCluster, options: ClusterBackupSourceOptions = {}): ExternalCluster {
    return new ExternalCluster(options.name ?? cluster.name, true, (p, f, c) => {
      const store = cluster._source.objectStore;
      if (!p.check(store !== undefined, f, cluster.name, 'declares no backup.objectStore to read base backups and WAL from',
        'add backup.objectStore to that cluster, or use ExternalCluster.fromObjectStore(...)')) return undefined;
      return resolveObjectStoreSource(p, f, c, {
        name: options.name ?? cluster.name, objectStore: store!.name, serverName: store!.serverName, external: true, majorVersion: cluster.version.majorVersion,
      }, cluster._source.namespace);
    });
  }

  /** A PostgreSQL server outside the app. */
  public static fromServer(props: ExternalServerProps): ExternalCluster {
    return new ExternalCluster(props?.name, false, (p, f, c) => resolveServerSource(p, f, c, props));
  }

  /** Base backups and WAL in a Barman Cloud ObjectStore (recovery and replica clusters). */
  public static fromObjectStore(props: ObjectStoreSourceProps): ExternalCluster {
    return new ExternalCluster(props?.name ?? props?.serverName, true, (p, f, c) => resolveObjectStoreSource(p, f, c, props, undefined));
  }

  private constructor(
    /** Name of the `externalClusters` entry. */
    public readonly name: string,
    /** True for base backups and WAL in an object store, false for a live server. @internal */
    public readonly _isObjectStore: boolean,
    private readonly resolver: (problems: Problems, field: string, context: ExternalSourceContext) => ResolvedExternalCluster | undefined,
  ) {}

  /** Validates the source and renders its `externalClusters` entry; undefined when invalid. @internal */
  public _resolve(problems: Problems, field: string, context: ExternalSourceContext): ResolvedExternalCluster | undefined {
    return this.resolver(problems, field, context);
  }
}
