import { ResolvedEgress, resolveEgress } from '../../core/egress';
import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionInfo, CredentialsSecret, DatabaseEngine } from '../../core/connection';
import { checkDuration } from '../../core/duration';
import { Problems } from '../../core/errors';
import { checkImage } from '../../core/image';
import { checkChoice, checkFindingIds, checkName, checkObjectName } from '../../core/names';
import { resolveNamespace } from '../../core/namespace';
import { NetworkPeer } from '../../core/network';
import { checkInteger } from '../../core/quantity';
import { databaseResources } from '../../core/resources';
import { MigrationMode } from '../mode';
import type { SchemaMigrationProps } from '../schema-migration';
import { MigrationFile } from '../sources';
import { checkMigrationFiles, MAX_CONFIGMAP_BYTES } from './files';
import { SchemaSource } from './source';

const TRACKING = /^[a-z_][a-z0-9_]{0,47}$/;
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;
const MAJOR_VERSION = /^[0-9]+(\.[0-9]+)*$/;

/** A schema (or MySQL database) name Atlas may manage: an unquoted identifier. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** The Job name is `<name>-<8 hex>` and must stay within 63 characters. */
const MAX_JOB_BASE_NAME = 54;

/** Settings of the Atlas Operator resources. */
export interface AtlasSettings {
  /** Image of the dev database. */
  readonly devImage: string;
  readonly schemas?: string[];
  readonly exclude?: string[];
  /** The operator's pods, admitted to the target; undefined admits nothing. */
  readonly operator?: NetworkPeer;
}

/** Settings of the runner Job. */
export interface JobSettings {
  readonly image: string;
  readonly retries: number;
  readonly timeoutSeconds: number;
  readonly keepSeconds: number;
  readonly resources: k8s.ResourceRequirements;
  /** Tracking table (PostgreSQL, MySQL) or keyspace (Cassandra). */
  readonly tracking: string;
  /** Cassandra: replication factor of the tracking keyspace. */
  readonly replicationFactor: number;
}

/** Every prop of a SchemaMigration, validated, with its default applied. */
export interface MigrationSettings {
  readonly connection: ConnectionInfo;
  /** The credentials the migration logs in with; none for a Cassandra cluster without authentication. */
  readonly credentials?: CredentialsSecret;
  readonly mode: MigrationMode;
  readonly name: string;
  readonly namespace: string;
  readonly allowDestructive: boolean;
  readonly syncWave?: number;
  readonly acknowledge?: string[];
  /** The declarative schema, or undefined for versioned files. */
  readonly schema?: SchemaSource;
  /** The versioned files as applied (empty for a declarative schema). */
  readonly files: MigrationFile[];
  /** Set in Atlas mode. */
  readonly atlas?: AtlasSettings;
  /** Set in Job mode. */
  readonly job?: JobSettings;
  /** Restricted egress of the Job. */
  readonly egress?: ResolvedEgress;
}

/** The client image pinned to the target's major version. */
export function defaultImage(c: ConnectionInfo): string {
  switch (c.engine) {
    case DatabaseEngine.POSTGRESQL: return `postgres:${c.majorVersion}`;
    case DatabaseEngine.MYSQL: return `mysql:${c.majorVersion}`;
    default: return `cassandra:${c.majorVersion}`;
  }
}

/**
 * Validates every prop, collecting every problem, and resolves the settings; throws one
 * ValidationError naming them all before anything is rendered.
 */
export function resolveSettings(scope: Construct, props: SchemaMigrationProps): MigrationSettings {
  const problems = new Problems(scope, 'SchemaMigration');
  const connection: ConnectionInfo | undefined = props?.target?.connection;
  if (!connection) {
    problems.add('target', props?.target, 'is not a database construct with connection info', 'pass the database construct itself, e.g. `target: ordersDb`');
    problems.throwIfAny();
  }
  const c = connection!;
  const name = props.name ?? scope.node.id;
  checkName(problems, 'name', name);
  const namespace = resolveNamespace(scope, problems, props.namespace ?? c.namespace);
  problems.check(namespace === c.namespace || c.namespace === undefined, 'namespace', props.namespace,
    `differs from the target's namespace "${c.namespace}"; the credentials Secret can only be read in its own namespace`,
    'leave `namespace` unset (the target\'s namespace is used)');
  const credentials = checkTarget(problems, props, c);
  const mode = checkMode(problems, props.mode, c.engine);
  const allowDestructive = props.allowDestructiveChanges === true;
  const schema = checkSources(problems, props, mode, c.engine);
  const files = props.migrations
    ? checkMigrationFiles(problems, props.migrations, { engine: c.engine, mode, datacenter: c.datacenter, allowDestructive })
    : [];
  if (props.argoSyncWave !== undefined) checkInteger(problems, 'argoSyncWave', props.argoSyncWave, -1000, 1000);
  const atlas = resolveAtlas(problems, props, c, mode);
  const job = resolveJob(problems, props, c, mode, name);
  checkFindingIds(problems, 'acknowledge', props.acknowledge);
  const egress = resolveEgress(problems, 'egress', props.egress);
  problems.throwIfAny();
  return {
    egress,
    connection: c, credentials, mode, name, namespace, allowDestructive, schema, files,
    syncWave: props.argoSyncWave,
    acknowledge: props.acknowledge,
    ...(mode === MigrationMode.ATLAS ? { atlas } : { job }),
  };
}

/** The target must give what the migration logs in with and what it migrates. */
function checkTarget(problems: Problems, props: SchemaMigrationProps, c: ConnectionInfo): CredentialsSecret | undefined {
  // The application user owns the objects it migrates; the administrative user is the fallback
  // (a Cassandra cluster that declares only its superuser).
  const credentials = c.secret ?? c.adminSecret;
  const path = props.target.node.path;
  if (!credentials && c.engine !== DatabaseEngine.CASSANDRA) {
    problems.add('target', path, 'has no credentials Secret (neither connection.secret nor connection.adminSecret is set)',
      'give the database construct credentials (a Secret reference) so the migration can log in');
  }
  if (c.engine !== DatabaseEngine.CASSANDRA && !c.database) {
    problems.add('target', path, 'has no application database (connection.database is undefined)', 'declare the database on the target construct');
  }
  return credentials;
}

function checkMode(problems: Problems, given: MigrationMode | undefined, engine: DatabaseEngine): MigrationMode {
  const fallback = engine === DatabaseEngine.CASSANDRA ? MigrationMode.JOB : MigrationMode.ATLAS;
  if (given === undefined) return fallback;
  if (!checkChoice(problems, 'mode', given, MigrationMode)) return MigrationMode.JOB;
  if (engine === DatabaseEngine.CASSANDRA && given === MigrationMode.ATLAS) {
    problems.add('mode', given, 'Atlas does not support Cassandra', 'use MigrationMode.JOB (the default for Cassandra targets)');
  }
  return given;
}

/** Exactly one of `schema` and `migrations`; a declarative schema needs Atlas mode and readable SQL. */
function checkSources(problems: Problems, props: SchemaMigrationProps, mode: MigrationMode, engine: DatabaseEngine): SchemaSource | undefined {
  if (!props.schema && !props.migrations) {
    problems.add('schema', undefined, 'neither `schema` nor `migrations` is given', 'give `schema` (a declarative schema, Atlas mode) or `migrations` (versioned files)');
  }
  if (props.schema && props.migrations) {
    problems.add('migrations', props.migrations._describe(), 'is given together with `schema`', 'use one SchemaMigration per source: either `schema` or `migrations`');
  }
  const source = props.schema?._source;
  if (source) {
    if (mode !== MigrationMode.ATLAS) {
      problems.add('schema', source.kind, 'a declarative schema needs Atlas mode', engine === DatabaseEngine.CASSANDRA
        ? 'Cassandra has no declarative mode: give versioned `migrations`' : 'remove `mode: MigrationMode.JOB`, or give versioned `migrations` instead');
    }
    checkSchemaSource(problems, source);
  }
  for (const field of ['schemas', 'exclude'] as const) {
    const list = props[field];
    if (list === undefined) continue;
    if (!props.schema) problems.add(field, list, 'applies only to a declarative schema', `remove \`${field}\` or use \`schema\``);
    if (field === 'schemas') {
      // Atlas puts these names into the URL and into SQL: plain identifiers only, each once.
      problems.check(Array.isArray(list) && list.length > 0 && list.every(s => typeof s === 'string' && SCHEMA_NAME.test(s)) && new Set(list).size === list.length,
        field, list, 'is not a list of distinct schema names', 'use names of letters, digits and "_" (at most 63, not starting with a digit), e.g. ["public"]; leave it out for every schema');
    } else {
      problems.check(Array.isArray(list) && list.every(s => typeof s === 'string' && s.length > 0), field, list, 'must be a list of non-empty strings', 'e.g. ["public"]');
    }
  }
  return source;
}

function checkSchemaSource(problems: Problems, source: SchemaSource): void {
  if (source.kind === 'file' && source.error !== undefined) {
    problems.add('schema', source.path, `cannot be read: ${source.error}`, 'give the path of an SQL file (relative paths start at the current directory)');
  } else if (source.kind === 'file' || source.kind === 'inline') {
    const sql = typeof source.sql === 'string' ? source.sql : '';
    problems.check(sql.trim().length > 0, 'schema', source.kind, 'is empty or not a string', 'give the CREATE statements of the desired schema');
    problems.check(Buffer.byteLength(sql) <= MAX_CONFIGMAP_BYTES, 'schema', source.kind, 'is larger than 900 KiB', 'split the schema');
  } else {
    checkObjectName(problems, 'schema.configMap', source.name, 'ConfigMap');
    problems.check(typeof source.key === 'string' && CONFIGMAP_KEY.test(source.key), 'schema.key', source.key, 'is not a valid ConfigMap key', 'use letters, digits, "-", "_" or "."');
  }
}

/** Dev database image and the operator's access; problems with Atlas-only props in Job mode. */
function resolveAtlas(problems: Problems, props: SchemaMigrationProps, c: ConnectionInfo, mode: MigrationMode): AtlasSettings {
  if (props.devDatabaseImage !== undefined) checkImage(problems, 'devDatabaseImage', props.devDatabaseImage, defaultImage(c));
  const admit = props.allowAtlasOperator !== false;
  const operator = props.atlasOperator ?? NetworkPeer.fromPodLabels({ 'app.kubernetes.io/name': 'atlas-operator' }, 'atlas-operator');
  if (props.atlasOperator !== undefined) {
    if (problems.check(props.atlasOperator instanceof NetworkPeer, 'atlasOperator', props.atlasOperator, 'is not a NetworkPeer',
      'use NetworkPeer.fromPodLabels({ "app.kubernetes.io/name": "atlas-operator" }, "atlas-operator") or NetworkPeer.fromWorkload(...)')) {
      props.atlasOperator._validate(problems, 'atlasOperator');
    }
    problems.check(admit, 'allowAtlasOperator', false, 'is false although `atlasOperator` names the operator to admit', 'remove one of the two');
  }
  if (mode === MigrationMode.ATLAS) {
    const imageOk = props.devDatabaseImage !== undefined || MAJOR_VERSION.test(c.majorVersion ?? '');
    problems.check(imageOk, 'target', c.majorVersion, 'has no usable major version to pin the dev database image', 'give `devDatabaseImage` with a version tag');
  } else {
    for (const field of ['atlasOperator', 'allowAtlasOperator'] as const) {
      if (props[field] !== undefined) problems.add(field, 'given', 'applies only to Atlas mode (a Job is admitted to the target by itself)', `remove \`${field}\``);
    }
  }
  return {
    devImage: props.devDatabaseImage ?? defaultImage(c),
    schemas: props.schemas,
    exclude: props.exclude,
    operator: admit ? operator : undefined,
  };
}

/** Image, bounds and resources of the runner Job; problems the Job mode adds. */
function resolveJob(problems: Problems, props: SchemaMigrationProps, c: ConnectionInfo, mode: MigrationMode, name: string): JobSettings {
  if (props.image !== undefined) checkImage(problems, 'image', props.image, defaultImage(c));
  if (props.retries !== undefined) checkInteger(problems, 'retries', props.retries, 0, 20);
  const timeoutSeconds = checkDuration(problems, 'timeout', props.timeout, { fallback: Duration.minutes(15), min: Duration.minutes(1), max: Duration.days(7) });
  const keepSeconds = checkDuration(problems, 'keepFinishedJobsFor', props.keepFinishedJobsFor, { fallback: Duration.days(1), min: Duration.seconds(0), max: Duration.days(30) });
  const resources = databaseResources(problems, 'resources', props.resources, { cpu: '100m', memory: '256Mi' });
  if (props.trackingTable !== undefined) {
    problems.check(typeof props.trackingTable === 'string' && TRACKING.test(props.trackingTable), 'trackingTable', props.trackingTable,
      'is not a plain lowercase identifier', 'use lowercase letters, digits and "_", starting with a letter, at most 48 characters');
  }
  if (props.trackingReplicationFactor !== undefined) checkInteger(problems, 'trackingReplicationFactor', props.trackingReplicationFactor, 1, 99);
  if (mode === MigrationMode.JOB) {
    problems.check(name.length <= MAX_JOB_BASE_NAME, 'name', name, `is ${name.length} characters long; the Job name adds a 9-character content hash and must stay within 63`,
      `shorten it to at most ${MAX_JOB_BASE_NAME} characters`);
    if (c.engine === DatabaseEngine.CASSANDRA && !c.datacenter) {
      problems.add('target', props.target.node.path, 'has no datacenter name (connection.datacenter), needed for the tracking keyspace replication', 'declare the datacenter on the Cassandra construct');
    }
    const imageOk = props.image !== undefined || MAJOR_VERSION.test(c.majorVersion ?? '');
    problems.check(imageOk, 'target', c.majorVersion, 'has no usable major version to pin the client image', 'give `image` with a version tag');
  }
  return {
    image: props.image ?? defaultImage(c),
    retries: props.retries ?? 2,
    timeoutSeconds,
    keepSeconds,
    resources: resources?.requirements ?? {},
    tracking: props.trackingTable ?? (c.engine === DatabaseEngine.CASSANDRA ? 'schema_migrations' : 'schema_migration_history'),
    replicationFactor: props.trackingReplicationFactor ?? 3,
  };
}
