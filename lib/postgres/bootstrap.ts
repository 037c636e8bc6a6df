import { Problems } from '../core/errors';
import { SecretKeyReference } from '../core/credentials';
import type { ExternalCluster } from './external-cluster';
import { BootstrapContext, ResolvedBootstrap, resolveBootstrap } from './private/bootstrap';

/** A new, empty cluster (`bootstrap.initdb`). */
export interface InitdbProps {
  /** Application database. @default 'app' */
  readonly database?: string;
  /** Owner of the application database. @default the database name */
  readonly owner?: string;
  /**
   * A `kubernetes.io/basic-auth` Secret with the owner's `username` and `password`.
   * @default CloudNativePG generates `<cluster>-app`
   */
  readonly secret?: string;
  /** SQL run in the application database after it is created, as the superuser. @default none */
  readonly postInitApplicationSql?: string[];
  /** Page checksums, which detect storage corruption. @default true */
  readonly dataChecksums?: boolean;
  /** Encoding. @default 'UTF8' */
  readonly encoding?: string;
  /** Locale (LC_COLLATE and LC_CTYPE). @default 'C' (CloudNativePG's default) */
  readonly locale?: string;
}

/** An ObjectStore holding a source cluster's base backups and WAL. */
export interface RecoveryObjectStore {
  /** Name of the ObjectStore, in the cluster's namespace. */
  readonly name: string;
  /** The server name the source archived under (usually the old cluster's name). */
  readonly serverName: string;
  /**
   * The ObjectStore is managed outside this app. Without it, the app must render an ObjectStore of
   * that name in the namespace (a PostgresCluster's `backup.objectStore`), or synthesis fails.
   * @default false
   */
  readonly external?: boolean;
}

/** VolumeSnapshots of a source cluster's volumes. */
export interface RecoveryVolumeSnapshots {
  /** VolumeSnapshot of the data volume. */
  readonly storage: string;
  /** VolumeSnapshot of the WAL volume; give it exactly when `walStorage` is declared. @default none */
  readonly walStorage?: string;
}

/** Recovery from a backup (`bootstrap.recovery`). */
export interface RecoveryProps {
  /**
   * The source's base backups and WAL, as an object-store source
   * (`ExternalCluster.fromClusterBackup(old)` or `ExternalCluster.fromObjectStore(...)`); give this or objectStore.
   * @default none
   */
  readonly source?: ExternalCluster;
  /** The ObjectStore with the source's base backups and WAL. @default none */
  readonly objectStore?: RecoveryObjectStore;
  /** VolumeSnapshots to restore from (WAL is then replayed from objectStore, when given). @default none */
  readonly volumeSnapshots?: RecoveryVolumeSnapshots;
  /**
   * A CloudNativePG `Backup` object in this cluster's namespace (e.g. one `addBackup` rendered) to
   * restore, to the end of that backup. Excludes source, objectStore, volumeSnapshots and targetTime.
   * @default none
   */
  readonly backupName?: string;
  /** Point in time to recover to, RFC 3339 (e.g. `2026-03-01T12:00:00Z`). Needs objectStore. @default the end of the WAL */
  readonly targetTime?: string;
  /** Application database in the backup. @default 'app' */
  readonly database?: string;
  /** Owner of the application database. @default the database name */
  readonly owner?: string;
  /** Basic-auth Secret with the owner's credentials. @default CloudNativePG generates `<cluster>-app` */
  readonly secret?: string;
}

/** libpq sslmode of a connection to the clone source; all of them encrypt. */
export enum CloneSslMode {
  REQUIRE = 'require',
  VERIFY_CA = 'verify-ca',
  VERIFY_FULL = 'verify-full',
}

/** TLS client certificate, key and CA for the clone source. */
export interface CloneTls {
  readonly cert: SecretKeyReference;
  readonly key: SecretKeyReference;
  readonly rootCert: SecretKeyReference;
}

/** A physical copy of another running PostgreSQL server (`bootstrap.pg_basebackup`). */
export interface CloneProps {
  /** The source server, defined once (`ExternalCluster.fromCluster(old)`); give this or host. @default none */
  readonly source?: ExternalCluster;
  /** Host of the source server; give this or source. @default none */
  readonly host?: string;
  /** Port of the source. @default 5432 */
  readonly port?: number;
  /** Replication user on the source. @default 'streaming_replica' */
  readonly user?: string;
  /** Database to connect to on the source. @default 'postgres' */
  readonly dbname?: string;
  /** Password of the user. @default none (use TLS client certificates) */
  readonly password?: SecretKeyReference;
  /** TLS client certificate, key and CA of the source. @default none */
  readonly tls?: CloneTls;
  /** libpq sslmode. @default CloneSslMode.VERIFY_FULL with tls, else CloneSslMode.REQUIRE */
  readonly sslMode?: CloneSslMode;
  /** Application database. @default 'app' */
  readonly database?: string;
  /** Owner of the application database. @default the database name */
  readonly owner?: string;
  /** Basic-auth Secret with the owner's credentials. @default CloudNativePG generates `<cluster>-app` */
  readonly secret?: string;
}

/** How `Bootstrap.logicalImport` copies the source. */
export enum ImportType {
  /** One database, imported as the application database (renamed to `database`); roles are not copied. */
  MICROSERVICE = 'microservice',
  /** Several databases (or `*`) and roles, with their names. */
  MONOLITH = 'monolith',
}

/** A logical import (pg_dump | pg_restore) of another server into a new cluster (`bootstrap.initdb.import`); works across major versions. */
export interface ImportProps extends InitdbProps {
  /** The server to import from (a live connection: `ExternalCluster.fromCluster` or `fromServer`). */
  readonly source: ExternalCluster;
  /** Microservice (one database) or monolith. @default ImportType.MICROSERVICE */
  readonly importType?: ImportType;
  /** Databases to import: exactly one for a microservice; names or `*` for a monolith. */
  readonly databases: string[];
  /** Roles to import (monolith only): names or `*`. @default none */
  readonly roles?: string[];
  /** Import the schema only, no rows (the first step of a logical-replication upgrade). @default false */
  readonly schemaOnly?: boolean;
  /** Extra pg_dump options, e.g. `['--no-comments']`. @default none */
  readonly pgDumpExtraOptions?: string[];
  /** Extra pg_restore options, e.g. `['--jobs=4']`. @default none */
  readonly pgRestoreExtraOptions?: string[];
  /** SQL run in the application database after the import, as the superuser (microservice only). @default none */
  readonly postImportApplicationSql?: string[];
}

/**
 * How a new cluster gets its data: exactly one method.
 *
 * ```ts
 * bootstrap: Bootstrap.initdb({ database: 'orders' })
 * bootstrap: Bootstrap.recovery({ objectStore: { name: 'orders-backup', serverName: 'orders' } })
 * ```
 */
export class Bootstrap {
  /** A new, empty cluster with an application database. */
  public static initdb(props: InitdbProps = {}): Bootstrap {
    return new Bootstrap('initdb', props);
  }

  /** Recovery from base backups and WAL in an object store, or from volume snapshots. */
  public static recovery(props: RecoveryProps): Bootstrap {
    return new Bootstrap('recovery', props);
  }

  /** A physical copy (pg_basebackup) of another running PostgreSQL server of the same major version. */
  public static clone(props: CloneProps): Bootstrap {
    return new Bootstrap('clone', props);
  }

  /** A logical import of databases (and roles) from another server, of any major version. */
  public static logicalImport(props: ImportProps): Bootstrap {
    return new Bootstrap('logicalImport', props);
  }

  private constructor(
    /** The method, as the field paths of problems name it (`bootstrap.<method>`). */
    public readonly method: string,
    private readonly props: InitdbProps | RecoveryProps | CloneProps | ImportProps,
  ) {}

  /** Validates the method's props and resolves what the cluster renders. @internal */
  public _resolve(problems: Problems, context: BootstrapContext): ResolvedBootstrap {
    return resolveBootstrap(problems, this.method, this.props, context);
  }
}
