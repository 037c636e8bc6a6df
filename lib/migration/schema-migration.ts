import { createHash } from 'crypto';
import { ApiObject, Chart, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AtlasMigration } from '../../imports/atlas-atlasmigrations-db.atlasgo.io';
import { AtlasSchema } from '../../imports/atlas-atlasschemas-db.atlasgo.io';
import { acknowledgeAnnotation, syncWave } from '../core/annotations';
import { ConnectionInfo, DatabaseEngine, IDatabase } from '../core/connection';
import { Problems } from '../core/errors';
import { checkImage } from '../core/image';
import { checkName } from '../core/names';
import { resolveNamespace } from '../core/namespace';
import { PodPeer } from '../core/network';
import { checkInteger, checkQuantity } from '../core/quantity';
import { standardLabels } from '../core/labels';
import { dedicatedServiceAccount, hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../core/security';
import { atlasSum, MigrationFile } from './atlas-sum';
import { findDestructive } from './destructive';
import { devDatabase } from './dev-db';
import { CASSANDRA_RUNNER } from './scripts/cassandra';
import { MYSQL_RUNNER } from './scripts/mysql';
import { POSTGRES_RUNNER } from './scripts/postgres';
import { Migrations, Schema } from './sources';

/** How a SchemaMigration applies changes. */
export enum MigrationMode {
  /**
   * Atlas Operator resources (`AtlasSchema` for a declarative schema, `AtlasMigration` for
   * versioned files). PostgreSQL and MySQL only; needs the Atlas Operator in the cluster.
   */
  ATLAS = 'atlas',
  /** A Kubernetes Job running a runner script with the engine's own client (psql, mysql, cqlsh). */
  JOB = 'job',
}

/** Properties of a SchemaMigration. */
export interface SchemaMigrationProps {
  /** The database to migrate; host, port, database and credentials come from it. */
  readonly target: IDatabase;
  /** Desired schema (declarative, Atlas mode). Give exactly one of `schema` and `migrations`. @default none */
  readonly schema?: Schema;
  /** Versioned migration files. Give exactly one of `schema` and `migrations`. @default none */
  readonly migrations?: Migrations;
  /** @default MigrationMode.ATLAS for PostgreSQL and MySQL, MigrationMode.JOB for Cassandra */
  readonly mode?: MigrationMode;
  /**
   * Allow destructive changes: DROP and TRUNCATE statements in migration files (checked at synth
   * time and again by the Job runner), and, for a declarative schema, dropped schemas, tables and
   * columns (Atlas lint `destructive` error and `diff.skip` are then off).
   * @default false: destructive changes are refused
   */
  readonly allowDestructiveChanges?: boolean;
  /** Name of the objects (the Job adds a content hash: `<name>-<8 hex>`). @default the construct id */
  readonly name?: string;
  /**
   * Namespace; must be the target's, because `secretKeyRef` and the Atlas Operator read the
   * credentials Secret from the resource's own namespace.
   * @default the target's namespace
   */
  readonly namespace?: string;
  /** Schemas (named databases) Atlas manages; declarative mode only. @default all schemas the URL reaches */
  readonly schemas?: string[];
  /** Glob patterns of objects Atlas ignores; declarative mode only. @default none */
  readonly exclude?: string[];
  /** Argo CD sync wave put on every object, so Argo CD applies the migration after the database. @default no annotation */
  readonly argoSyncWave?: number;
  /** Image of the Atlas dev database. @default `postgres:<major>` or `mysql:<major>` of the target */
  readonly devDatabaseImage?: string;
  /** Client image of the Job. @default `postgres:<major>`, `mysql:<major>` or `cassandra:<major>` of the target */
  readonly image?: string;
  /** Job retries. @default 2 */
  readonly backoffLimit?: number;
  /** Longest time the Job may run. @default 15 minutes */
  readonly activeDeadline?: Duration;
  /** How long a finished Job is kept. @default 1 day */
  readonly ttlAfterFinished?: Duration;
  /** CPU and memory of the Job container (request; memory is also the limit). @default 100m CPU, 256Mi memory */
  readonly resources?: { readonly cpu?: string; readonly memory?: string };
  /** Tracking table (PostgreSQL, MySQL) or keyspace (Cassandra) of the Job runner. @default 'schema_migration_history' ('schema_migrations' keyspace for Cassandra) */
  readonly trackingTable?: string;
  /** Cassandra: replication factor of the tracking keyspace in the target datacenter. @default 3 */
  readonly trackingReplicationFactor?: number;
  /**
   * Pods of the Atlas Operator, admitted to the target through its NetworkPolicy (Atlas mode);
   * `false` admits nothing.
   * @default pods labelled `app.kubernetes.io/name: atlas-operator` in namespace `atlas-operator` (the Helm chart's defaults)
   */
  readonly atlasOperator?: PodPeer | false;
  /** Safety finding ids accepted on this migration. @default none */
  readonly acknowledge?: string[];
}

const VERSIONED_FILE = /^([0-9]+)_([A-Za-z0-9_.-]+)\.(sql|cql)$/;
const TRACKING = /^[a-z_][a-z0-9_]{0,47}$/;
const MAX_CONFIGMAP_BYTES = 900 * 1024;
const UID = { uid: 999, gid: 999 };
const TXN_CONTROL = /^[ \t]*(BEGIN|COMMIT|ROLLBACK|START[ \t]+TRANSACTION)[ \t]*;/im;

interface Resolved {
  readonly connection: ConnectionInfo;
  readonly mode: MigrationMode;
  readonly name: string;
  readonly namespace: string;
  readonly files: MigrationFile[];
  readonly activeDeadlineSeconds: number;
  readonly ttlSeconds: number;
}

/**
 * Migrates the schema of a database construct: declaratively or with versioned files through the
 * Atlas Operator, or with versioned files through a Job. Host, port, database and credentials
 * come from the target; destructive changes are refused unless `allowDestructiveChanges` is set.
 */
export class SchemaMigration extends Construct {
  /** The primary object: the AtlasSchema, AtlasMigration or Job. */
  public readonly resource: ApiObject;
  /** The mode in use. */
  public readonly mode: MigrationMode;
  /** Name of the primary object (for the Job, with its content hash). */
  public readonly resourceName: string;

  constructor(scope: Construct, id: string, props: SchemaMigrationProps) {
    super(scope, id);
    const resolved = this.validate(props);
    const { connection, mode, name, namespace, files } = resolved;
    this.mode = mode;

    const labels = standardLabels({ name: 'schema-migration', instance: name, component: 'migration' });
    const annotations = props.argoSyncWave !== undefined ? syncWave(props.argoSyncWave) : {};
    const meta = (objectName: string) => ({ name: objectName, namespace, labels, ...(Object.keys(annotations).length ? { annotations } : {}) });
    const primaryMeta = (objectName: string) => {
      const m = meta(objectName);
      const all = { ...annotations, ...acknowledgeAnnotation(props.acknowledge) };
      return { ...m, ...(Object.keys(all).length ? { annotations: all } : {}) };
    };
    const allow = props.allowDestructiveChanges === true;

    if (mode === MigrationMode.ATLAS) {
      const credentials = atlasCredentials(connection);
      const dev = devDatabase(connection, props.devDatabaseImage ?? defaultImage(connection));
      if (props.schema) {
        const source = props.schema.source;
        let schema: any;
        if (source.kind === 'inline') {
          schema = { sql: source.sql };
        } else if (source.kind === 'file') {
          const cm = new k8s.KubeConfigMap(this, 'Schema', { metadata: meta(`${name}-schema`), data: { 'schema.sql': source.sql! } });
          schema = { configMapKeyRef: { name: cm.name, key: 'schema.sql' } };
        } else {
          schema = { configMapKeyRef: { name: source.name, key: source.key } };
        }
        this.resource = new AtlasSchema(this, 'Resource', {
          metadata: primaryMeta(name),
          spec: {
            credentials,
            schema,
            devUrl: dev.url,
            devDb: { spec: dev.spec },
            ...(props.schemas ? { schemas: [...props.schemas] } : {}),
            ...(props.exclude ? { exclude: [...props.exclude] } : {}),
            policy: {
              lint: { destructive: { error: !allow } },
              diff: { skip: { dropSchema: !allow, dropTable: !allow, dropColumn: !allow, dropIndex: !allow, dropForeignKey: !allow } },
            },
          },
        });
      } else {
        const data: Record<string, string> = {};
        for (const f of files) data[f.name] = f.content;
        data['atlas.sum'] = atlasSum(files);
        const cm = new k8s.KubeConfigMap(this, 'Migrations', { metadata: meta(`${name}-migrations`), data });
        this.resource = new AtlasMigration(this, 'Resource', {
          metadata: primaryMeta(name),
          spec: {
            credentials,
            dir: { configMapRef: { name: cm.name } },
            devUrl: dev.url,
            devDb: { spec: dev.spec },
          },
        });
      }
      this.resourceName = name;
      if (props.atlasOperator !== false) {
        const peer = props.atlasOperator ?? { podLabels: { 'app.kubernetes.io/name': 'atlas-operator' }, namespace: 'atlas-operator' };
        props.target.allowFrom(peer);
      }
    } else {
      const job = this.renderJob(props, resolved, labels, meta, primaryMeta);
      this.resource = job.job;
      this.resourceName = job.name;
      props.target.allowFrom(job.job);
    }

    // Ordered after the database: a chart dependency across charts, a construct dependency within one.
    const ownChart = Chart.of(this);
    const targetChart = Chart.of(props.target);
    if (ownChart !== targetChart) ownChart.addDependency(targetChart);
    else this.node.addDependency(props.target);
  }

  private renderJob(props: SchemaMigrationProps, resolved: Resolved, labels: Record<string, string>,
    meta: (n: string) => any, primaryMeta: (n: string) => any): { job: k8s.KubeJob; name: string } {
    const { connection, name, files } = resolved;
    const image = props.image ?? defaultImage(connection);
    const script = runnerScript(connection.engine);
    const env = jobEnv(connection, props, name);
    const data: Record<string, string> = { 'migrate.sh': script };
    for (const f of files) data[f.name] = f.content;
    const hash = createHash('sha256').update(JSON.stringify({ data, image, env })).digest('hex').slice(0, 8);
    const jobName = `${name}-${hash}`;

    const sa = dedicatedServiceAccount(this, 'ServiceAccount', name, labels);
    const cm = new k8s.KubeConfigMap(this, 'Files', { metadata: meta(jobName), data });
    const cpu = props.resources?.cpu ?? '100m';
    const memory = props.resources?.memory ?? '256Mi';
    const job = new k8s.KubeJob(this, 'Resource', {
      metadata: primaryMeta(jobName),
      spec: {
        backoffLimit: props.backoffLimit ?? 2,
        activeDeadlineSeconds: resolved.activeDeadlineSeconds,
        ttlSecondsAfterFinished: resolved.ttlSeconds,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: sa.name,
            automountServiceAccountToken: false,
            securityContext: hardenedPodSecurityContext(UID),
            containers: [{
              name: 'migrate',
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '/migrations/migrate.sh'],
              env,
              securityContext: hardenedContainerSecurityContext(UID),
              resources: {
                requests: { cpu: k8s.Quantity.fromString(cpu), memory: k8s.Quantity.fromString(memory) },
                limits: { memory: k8s.Quantity.fromString(memory) },
              },
              volumeMounts: [
                { name: 'migrations', mountPath: '/migrations', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'migrations', configMap: { name: cm.name, defaultMode: 0o444 } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
            ],
          },
        },
      },
    });
    if (props.argoSyncWave !== undefined) {
      for (const [k, v] of Object.entries(syncWave(props.argoSyncWave))) sa.metadata.addAnnotation(k, v);
    }
    return { job, name: jobName };
  }

  /** Validates every prop; throws one ValidationError with all problems. */
  private validate(props: SchemaMigrationProps): Resolved {
    const problems = new Problems(this, 'SchemaMigration');
    const target = props?.target;
    const connection: ConnectionInfo | undefined = target?.connection;
    if (!connection) {
      problems.add('target', target, 'is not a database construct with connection info', 'pass the database construct itself, e.g. `target: ordersDb`');
      problems.throwIfAny();
    }
    const c = connection!;
    const engine: DatabaseEngine = c.engine;
    const name = props.name ?? this.node.id;
    checkName(problems, 'name', name);
    const namespace = resolveNamespace(this, problems, props.namespace ?? c.namespace);
    problems.check(namespace === c.namespace || c.namespace === undefined, 'namespace', props.namespace,
      `differs from the target's namespace "${c.namespace}"; the credentials Secret can only be read in its own namespace`,
      'leave `namespace` unset (the target\'s namespace is used)');

    if (!c.secret && engine !== 'cassandra') {
      problems.add('target', target!.node.path, 'has no credentials Secret (connection.secret is undefined)', 'give the database construct credentials (a Secret reference) so the migration can log in');
    }
    if (engine !== 'cassandra' && !c.database) {
      problems.add('target', target!.node.path, 'has no application database (connection.database is undefined)', 'declare the database on the target construct');
    }

    const validModes = Object.values(MigrationMode) as string[];
    let mode = props.mode ?? (engine === 'cassandra' ? MigrationMode.JOB : MigrationMode.ATLAS);
    if (!validModes.includes(mode)) {
      problems.add('mode', props.mode, 'is not a migration mode', 'use MigrationMode.ATLAS or MigrationMode.JOB');
      mode = MigrationMode.JOB;
    }
    if (engine === 'cassandra' && mode === MigrationMode.ATLAS) {
      problems.add('mode', mode, 'Atlas does not support Cassandra', 'use MigrationMode.JOB (the default for Cassandra targets)');
    }

    if (!props.schema && !props.migrations) {
      problems.add('schema', undefined, 'neither `schema` nor `migrations` is given', 'give `schema` (a declarative schema, Atlas mode) or `migrations` (versioned files)');
    }
    if (props.schema && props.migrations) {
      problems.add('migrations', props.migrations.describe(), 'is given together with `schema`', 'use one SchemaMigration per source: either `schema` or `migrations`');
    }
    if (props.schema) {
      const source = props.schema.source;
      if (mode !== MigrationMode.ATLAS) {
        problems.add('schema', source.kind, 'a declarative schema needs Atlas mode', engine === 'cassandra'
          ? 'Cassandra has no declarative mode: give versioned `migrations`' : 'remove `mode: MigrationMode.JOB`, or give versioned `migrations` instead');
      }
      if (source.kind === 'file' && source.error !== undefined) {
        problems.add('schema', source.path, `cannot be read: ${source.error}`, 'give the path of an SQL file (relative paths start at the current directory)');
      } else if (source.kind === 'file' || source.kind === 'inline') {
        const sql = typeof source.sql === 'string' ? source.sql : '';
        problems.check(sql.trim().length > 0, 'schema', source.kind, 'is empty or not a string', 'give the CREATE statements of the desired schema');
        problems.check(Buffer.byteLength(sql) <= MAX_CONFIGMAP_BYTES, 'schema', source.kind, 'is larger than 900 KiB', 'split the schema');
      } else {
        checkName(problems, 'schema.configMap', source.name);
        problems.check(/^[-._a-zA-Z0-9]+$/.test(source.key), 'schema.key', source.key, 'is not a valid ConfigMap key', 'use letters, digits, "-", "_" or "."');
      }
    }
    for (const field of ['schemas', 'exclude'] as const) {
      const list = props[field];
      if (list === undefined) continue;
      if (!props.schema) problems.add(field, list, 'applies only to a declarative schema', `remove \`${field}\` or use \`schema\``);
      problems.check(Array.isArray(list) && list.every(s => typeof s === 'string' && s.length > 0), field, list, 'must be a list of non-empty strings', 'e.g. ["public"]');
    }

    let files: MigrationFile[] = [];
    if (props.migrations) files = this.checkMigrations(problems, props, c, mode);

    if (props.argoSyncWave !== undefined) checkInteger(problems, 'argoSyncWave', props.argoSyncWave, -1000, 1000);
    if (props.devDatabaseImage !== undefined) checkImage(problems, 'devDatabaseImage', props.devDatabaseImage);
    if (props.image !== undefined) checkImage(problems, 'image', props.image);
    if (props.backoffLimit !== undefined) checkInteger(problems, 'backoffLimit', props.backoffLimit, 0, 20);
    const activeDeadlineSeconds = wholeSeconds(problems, 'activeDeadline', props.activeDeadline, Duration.minutes(15));
    if (activeDeadlineSeconds !== undefined) {
      problems.check(activeDeadlineSeconds >= 60, 'activeDeadline', activeDeadlineSeconds, 'is shorter than one minute', 'give at least Duration.minutes(1)');
    }
    const ttlSeconds = wholeSeconds(problems, 'ttlAfterFinished', props.ttlAfterFinished, Duration.days(1));
    if (props.resources?.cpu !== undefined) checkQuantity(problems, 'resources.cpu', props.resources.cpu, '100m');
    if (props.resources?.memory !== undefined) checkQuantity(problems, 'resources.memory', props.resources.memory, '256Mi');
    if (props.trackingTable !== undefined) {
      problems.check(typeof props.trackingTable === 'string' && TRACKING.test(props.trackingTable), 'trackingTable', props.trackingTable,
        'is not a plain lowercase identifier', 'use lowercase letters, digits and "_", starting with a letter, at most 48 characters');
    }
    if (props.trackingReplicationFactor !== undefined) checkInteger(problems, 'trackingReplicationFactor', props.trackingReplicationFactor, 1, 99);
    if (props.acknowledge !== undefined) {
      problems.check(Array.isArray(props.acknowledge) && props.acknowledge.every(a => typeof a === 'string' && /^[a-z0-9-]+$/.test(a)),
        'acknowledge', props.acknowledge, 'must be a list of finding ids', 'e.g. ["job-bounds"]');
    }
    if (mode === MigrationMode.JOB) {
      problems.check(name.length <= 54, 'name', name, `is ${name.length} characters long; the Job name adds a 9-character content hash and must stay within 63`, 'shorten it to at most 54 characters');
      if (engine === 'cassandra' && !c.datacenter) {
        problems.add('target', target!.node.path, 'has no datacenter name (connection.datacenter), needed for the tracking keyspace replication', 'declare the datacenter on the Cassandra construct');
      }
      const imageOk = props.image !== undefined || /^[0-9]+(\.[0-9]+)*$/.test(c.majorVersion ?? '');
      problems.check(imageOk, 'target', c.majorVersion, 'has no usable major version to pin the client image', 'give `image` with a version tag');
    } else {
      const imageOk = props.devDatabaseImage !== undefined || /^[0-9]+(\.[0-9]+)*$/.test(c.majorVersion ?? '');
      problems.check(imageOk, 'target', c.majorVersion, 'has no usable major version to pin the dev database image', 'give `devDatabaseImage` with a version tag');
    }
    problems.throwIfAny();
    return { connection: c, mode, name, namespace, files, activeDeadlineSeconds: activeDeadlineSeconds!, ttlSeconds: ttlSeconds! };
  }

  private checkMigrations(problems: Problems, props: SchemaMigrationProps, c: ConnectionInfo, mode: MigrationMode): MigrationFile[] {
    const migrations = props.migrations!;
    for (const p of migrations.loadProblems) problems.add('migrations', migrations.describe(), p, 'fix the migration directory');
    const ext = c.engine === 'cassandra' ? 'cql' : 'sql';
    const files: MigrationFile[] = [];
    let previous: { name: string; version: bigint } | undefined;
    let total = 0;
    for (const file of migrations.files) {
      const m = VERSIONED_FILE.exec(file.name);
      if (!m) {
        problems.add('migrations', file.name, 'is not named <version>_<description>.<sql|cql>', 'name files like 0001_create_orders.sql (version digits, "_", a description of letters, digits, "_", "-" or ".")');
        continue;
      }
      if (m[3] !== ext) {
        problems.add('migrations', file.name, `is a .${m[3]} file but the target is ${c.engine}`, `use .${ext} files for ${c.engine} targets`);
        continue;
      }
      const version = BigInt(m[1]);
      if (previous) {
        if (version === previous.version) {
          problems.add('migrations', file.name, `has the same version as ${previous.name}`, 'give each file its own version');
        } else if (version < previous.version) {
          problems.add('migrations', file.name, `has a lower version than ${previous.name}, which comes before it`, 'list files in version order');
        } else if (Buffer.compare(Buffer.from(previous.name), Buffer.from(file.name)) >= 0) {
          problems.add('migrations', file.name, `sorts before ${previous.name} by name although its version is higher (Atlas and the runner order files by name)`, 'pad versions with zeros to one width, e.g. 0002 and 0010');
        }
      }
      previous = { name: file.name, version };
      let content = file.content;
      if (typeof content !== 'string' || content.trim() === '') {
        problems.add('migrations', file.name, 'is empty', 'put at least one statement in it or remove it');
        continue;
      }
      if (c.engine === 'cassandra' && content.includes('${DATACENTER}')) {
        if (c.datacenter) content = content.split('${DATACENTER}').join(c.datacenter);
        else problems.add('migrations', file.name, 'uses ${DATACENTER} but the target has no datacenter name', 'declare the datacenter on the Cassandra construct');
      }
      if (c.engine === 'cassandra') {
        // The runner splits statements at a ';' that ends a line, and waits for schema agreement after each.
        const lines = content.split('\n');
        const index = lines.findIndex(l => !/^[ \t]*(--|\/\/)/.test(l) && /;[ \t]*(?!--|\/\/)\S/.test(l));
        if (index >= 0) {
          problems.add('migrations', `${file.name}:${index + 1}`, 'holds more than one statement on a line (the runner splits statements at a ";" that ends a line)',
            'put each statement on its own line(s), ending with ";"');
        }
      }
      if (props.allowDestructiveChanges !== true) {
        const hit = findDestructive(content);
        if (hit) {
          problems.add('migrations', `${file.name}:${hit.line}`, `holds a destructive statement: ${hit.text}`,
            'remove it, or set `allowDestructiveChanges: true` if losing that data is intended');
        }
      }
      if (c.engine === 'postgresql' && mode === MigrationMode.JOB) {
        const txn = TXN_CONTROL.exec(content);
        if (txn) {
          const line = content.slice(0, txn.index).split('\n').length + (content[txn.index] === '\n' ? 1 : 0);
          problems.add('migrations', `${file.name}:${line}`, `controls the transaction (${txn[1]}), but the runner applies each file in one transaction with its tracking row`,
            'remove BEGIN/COMMIT from the file');
        }
      }
      total += Buffer.byteLength(content);
      files.push({ name: file.name, content });
    }
    if (migrations.atlasSum !== undefined && files.length === migrations.files.length && c.engine !== 'cassandra') {
      const expected = atlasSum(files);
      problems.check(migrations.atlasSum === expected, 'migrations', 'atlas.sum', 'does not match the migration files (a file was edited or added after `atlas migrate hash`)',
        'run `atlas migrate hash` in the directory, or delete atlas.sum and let the library compute it');
    }
    problems.check(total <= MAX_CONFIGMAP_BYTES, 'migrations', `${total} bytes`, 'the files do not fit in one ConfigMap (1 MiB limit)', 'squash old migrations into a baseline file');
    return files;
  }
}

/** A Duration in whole seconds, or a problem when it is not one. */
function wholeSeconds(problems: Problems, field: string, value: Duration | undefined, fallback: Duration): number | undefined {
  try {
    return (value ?? fallback).toSeconds();
  } catch (e) {
    problems.add(field, String(value), `is not a whole number of seconds (${(e as Error).message})`, 'give a duration such as Duration.minutes(15)');
    return undefined;
  }
}

function defaultImage(c: ConnectionInfo): string {
  switch (c.engine) {
    case 'postgresql': return `postgres:${c.majorVersion}`;
    case 'mysql': return `mysql:${c.majorVersion}`;
    default: return `cassandra:${c.majorVersion}`;
  }
}

function runnerScript(engine: DatabaseEngine): string {
  switch (engine) {
    case 'postgresql': return POSTGRES_RUNNER;
    case 'mysql': return MYSQL_RUNNER;
    default: return CASSANDRA_RUNNER;
  }
}

function atlasCredentials(c: ConnectionInfo): any {
  const secret = c.secret!;
  return {
    scheme: c.engine === 'postgresql' ? 'postgres' : 'mysql',
    host: c.host,
    port: c.port,
    database: c.database,
    userFrom: { secretKeyRef: { name: secret.name, key: secret.usernameKey } },
    passwordFrom: { secretKeyRef: { name: secret.name, key: secret.passwordKey } },
    parameters: c.engine === 'postgresql'
      ? { sslmode: c.tls ? 'require' : 'disable' }
      : (c.tls ? { tls: 'true' } : undefined),
  };
}

function secretEnv(name: string, secretName: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

function jobEnv(c: ConnectionInfo, props: SchemaMigrationProps, name: string): k8s.EnvVar[] {
  const common: k8s.EnvVar[] = [
    { name: 'HOME', value: '/tmp' },
    { name: 'MIGRATIONS_DIR', value: '/migrations' },
    { name: 'ALLOW_DESTRUCTIVE', value: props.allowDestructiveChanges === true ? 'true' : 'false' },
  ];
  const s = c.secret;
  switch (c.engine) {
    case 'postgresql':
      return [
        ...common,
        { name: 'TRACKING_TABLE', value: props.trackingTable ?? 'schema_migration_history' },
        { name: 'PGHOST', value: c.host },
        { name: 'PGPORT', value: String(c.port) },
        { name: 'PGDATABASE', value: c.database! },
        { name: 'PGSSLMODE', value: c.tls ? 'require' : 'disable' },
        { name: 'PGCONNECT_TIMEOUT', value: '10' },
        { name: 'PGAPPNAME', value: name },
        secretEnv('PGUSER', s!.name, s!.usernameKey),
        secretEnv('PGPASSWORD', s!.name, s!.passwordKey),
      ];
    case 'mysql':
      return [
        ...common,
        { name: 'TRACKING_TABLE', value: props.trackingTable ?? 'schema_migration_history' },
        { name: 'DB_HOST', value: c.host },
        { name: 'DB_PORT', value: String(c.port) },
        { name: 'DB_NAME', value: c.database! },
        ...(c.tls ? [{ name: 'DB_SSL_MODE', value: 'REQUIRED' }] : []),
        secretEnv('DB_USER', s!.name, s!.usernameKey),
        secretEnv('MYSQL_PWD', s!.name, s!.passwordKey),
      ];
    default:
      return [
        ...common,
        { name: 'MIGRATION_KS', value: props.trackingTable ?? 'schema_migrations' },
        { name: 'MIGRATION_KS_REPLICATION', value: `{'class': 'NetworkTopologyStrategy', '${c.datacenter}': ${props.trackingReplicationFactor ?? 3}}` },
        { name: 'CQLSH_HOST', value: c.host },
        { name: 'CQLSH_PORT', value: String(c.port) },
        ...(c.tls ? [{ name: 'CQLSH_SSL', value: 'true' }] : []),
        // Without a Secret (authentication off) cqlsh connects anonymously.
        ...(s ? [secretEnv('CQLSH_USER', s.name, s.usernameKey), secretEnv('CQLSH_PASSWORD', s.name, s.passwordKey)] : []),
      ];
  }
}
