import { createHash } from 'crypto';
import { ApiObject, Chart, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AtlasMigration } from '../../imports/atlas-atlasmigrations-db.atlasgo.io';
import { AtlasSchema } from '../../imports/atlas-atlasschemas-db.atlasgo.io';
import { acknowledgeAnnotation, syncWave } from '../core/annotations';
import { IDatabase } from '../core/connection';
import { EgressProps, helperPolicy } from '../core/egress';
import { selectorLabels, standardLabels } from '../core/labels';
import { NetworkPeer } from '../core/network';
import { ResourceProps } from '../core/resources';
import { dedicatedServiceAccount, hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../core/security';
import { MigrationMode } from './mode';
import { atlasSum } from './private/atlas-sum';
import { devDatabase } from './private/dev-db';
import { atlasCredentials, jobEnv, runnerScript } from './private/render';
import { MigrationSettings, resolveSettings } from './private/settings';
import { SchemaSource } from './private/source';
import { Migrations, Schema } from './sources';

/** The client images' own user (the postgres, mysql and cassandra images all use 999). */
const UID = { uid: 999, gid: 999 };

/** Metadata of every object the migration renders. */
interface Meta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
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
   * Allow destructive changes: in migration files, drops, TRUNCATE, DELETE without WHERE, type
   * changes, renames and statements whose effect cannot be checked (DO blocks, dynamic SQL,
   * functions, procedures), found by parsing at synth time (the Job runner applies only the files
   * that check passed); for a declarative schema, dropped schemas, tables and columns (Atlas lint
   * `destructive` error and `diff.skip` are then off).
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
  /** Retries of a failed Job (Job `backoffLimit`), from 0 to 20. @default 2 */
  readonly retries?: number;
  /** Longest time the Job may run (Job `activeDeadlineSeconds`), from one minute to seven days. @default Duration.minutes(15) */
  readonly timeout?: Duration;
  /** How long a finished Job and its pod stay for inspection (`ttlSecondsAfterFinished`), up to 30 days. @default Duration.days(1) */
  readonly keepFinishedJobsFor?: Duration;
  /** CPU and memory of the Job container (the memory request is also the limit). @default 100m CPU, 256Mi memory, no CPU limit */
  readonly resources?: ResourceProps;
  /** Tracking table (PostgreSQL, MySQL) or keyspace (Cassandra) of the Job runner. @default 'schema_migration_history' ('schema_migrations' keyspace for Cassandra) */
  readonly trackingTable?: string;
  /** Cassandra: replication factor of the tracking keyspace in the target datacenter. @default 3 */
  readonly trackingReplicationFactor?: number;
  /**
   * Pods of the Atlas Operator, admitted to the target through its NetworkPolicy (Atlas mode).
   * @default NetworkPeer.fromPodLabels({ 'app.kubernetes.io/name': 'atlas-operator' }, 'atlas-operator'): the Helm chart's defaults
   */
  readonly atlasOperator?: NetworkPeer;
  /**
   * Whether the target's NetworkPolicy admits the Atlas Operator (Atlas mode). Turn it off when you
   * admit the operator yourself, e.g. with a policy of your own.
   * @default true
   */
  readonly allowAtlasOperator?: boolean;
  /**
   * Restrict where the Job may connect (Job mode; for namespaces that deny egress by default):
   * DNS and the target's pods on its port. On when given. Atlas mode renders no pods.
   * @default egress open
   */
  readonly egress?: EgressProps;
  /** Safety finding ids accepted on this migration. @default none */
  readonly acknowledge?: string[];
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
  private readonly settings: MigrationSettings;
  private readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: SchemaMigrationProps) {
    super(scope, id);
    const settings = resolveSettings(this, props);
    this.settings = settings;
    this.mode = settings.mode;
    this.labels = standardLabels({ name: 'schema-migration', instance: settings.name, component: 'migration' });

    if (settings.atlas) {
      this.resource = settings.schema ? this.renderAtlasSchema(settings.schema) : this.renderAtlasMigration();
      this.resourceName = settings.name;
      if (settings.atlas.operator) props.target.allowFrom(settings.atlas.operator);
    } else {
      const job = this.renderJob();
      this.resource = job;
      this.resourceName = job.name;
      props.target.allowFrom(NetworkPeer.fromWorkload(job));
      // Nothing connects to the Job.
      const policy = helperPolicy(this, 'Network', {
        name: settings.name, namespace: settings.namespace, labels: this.labels,
        podSelector: selectorLabels({ name: 'schema-migration', instance: settings.name, component: 'migration' }),
        egress: settings.egress, databases: [{ podSelector: props.target.podSelector, ports: [settings.connection.port] }],
      });
      for (const [k, v] of Object.entries(this.meta(settings.name).annotations ?? {})) policy.resource.metadata.addAnnotation(k, v);
    }

    // Ordered after the database: a chart dependency across charts, a construct dependency within one.
    const ownChart = Chart.of(this);
    const targetChart = Chart.of(props.target);
    if (ownChart !== targetChart) ownChart.addDependency(targetChart);
    else this.node.addDependency(props.target);
  }

  /** Metadata of a companion object: the sync wave, when asked for. */
  private meta(name: string): Meta {
    const annotations = this.settings.syncWave !== undefined ? syncWave(this.settings.syncWave) : {};
    return { name, namespace: this.settings.namespace, labels: this.labels, ...(Object.keys(annotations).length ? { annotations } : {}) };
  }

  /** Metadata of the primary object: the sync wave and the acknowledged findings. */
  private primaryMeta(name: string): Meta {
    const meta = this.meta(name);
    const annotations = { ...meta.annotations, ...acknowledgeAnnotation(this.settings.acknowledge) };
    return { ...meta, ...(Object.keys(annotations).length ? { annotations } : {}) };
  }

  private renderAtlasSchema(source: SchemaSource): ApiObject {
    const { name, atlas, allowDestructive: allow } = this.settings;
    const dev = devDatabase(this.settings.connection, atlas!.devImage);
    let schema: any;
    if (source.kind === 'inline') {
      schema = { sql: source.sql };
    } else if (source.kind === 'file') {
      const cm = new k8s.KubeConfigMap(this, 'Schema', { metadata: this.meta(`${name}-schema`), data: { 'schema.sql': source.sql! } });
      schema = { configMapKeyRef: { name: cm.name, key: 'schema.sql' } };
    } else {
      schema = { configMapKeyRef: { name: source.name, key: source.key } };
    }
    return new AtlasSchema(this, 'Resource', {
      metadata: this.primaryMeta(name),
      spec: {
        credentials: atlasCredentials(this.settings),
        schema,
        devUrl: dev.url,
        devDb: { spec: dev.spec },
        ...(atlas!.schemas ? { schemas: [...atlas!.schemas] } : {}),
        ...(atlas!.exclude ? { exclude: [...atlas!.exclude] } : {}),
        policy: {
          lint: { destructive: { error: !allow } },
          diff: { skip: { dropSchema: !allow, dropTable: !allow, dropColumn: !allow, dropIndex: !allow, dropForeignKey: !allow } },
        },
      },
    });
  }

  private renderAtlasMigration(): ApiObject {
    const { name, files, atlas } = this.settings;
    const dev = devDatabase(this.settings.connection, atlas!.devImage);
    const data: Record<string, string> = {};
    for (const f of files) data[f.name] = f.content;
    data['atlas.sum'] = atlasSum(files);
    const cm = new k8s.KubeConfigMap(this, 'Migrations', { metadata: this.meta(`${name}-migrations`), data });
    return new AtlasMigration(this, 'Resource', {
      metadata: this.primaryMeta(name),
      spec: {
        credentials: atlasCredentials(this.settings),
        dir: { configMapRef: { name: cm.name } },
        devUrl: dev.url,
        devDb: { spec: dev.spec },
      },
    });
  }

  /** The runner Job, its ConfigMap (script and files) and its ServiceAccount; named by a content hash. */
  private renderJob(): k8s.KubeJob {
    const { name, namespace, files, connection } = this.settings;
    const job = this.settings.job!;
    const env = jobEnv(this.settings);
    const data: Record<string, string> = { 'migrate.sh': runnerScript(connection.engine) };
    for (const f of files) data[f.name] = f.content;
    // A new file, script, image or setting gives a new Job: a Job's pod template cannot change.
    const hash = createHash('sha256').update(JSON.stringify({ data, image: job.image, env })).digest('hex').slice(0, 8);
    const jobName = `${name}-${hash}`;

    const sa = dedicatedServiceAccount(this, 'ServiceAccount', name, this.labels, namespace);
    for (const [k, v] of Object.entries(this.meta(name).annotations ?? {})) sa.metadata.addAnnotation(k, v);
    const cm = new k8s.KubeConfigMap(this, 'Files', { metadata: this.meta(jobName), data });
    return new k8s.KubeJob(this, 'Resource', {
      metadata: this.primaryMeta(jobName),
      spec: {
        backoffLimit: job.retries,
        activeDeadlineSeconds: job.timeoutSeconds,
        ttlSecondsAfterFinished: job.keepSeconds,
        template: {
          metadata: { labels: this.labels },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: sa.name,
            automountServiceAccountToken: false,
            securityContext: hardenedPodSecurityContext(UID),
            containers: [{
              name: 'migrate',
              image: job.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '/migrations/migrate.sh'],
              env,
              securityContext: hardenedContainerSecurityContext(UID),
              resources: job.resources,
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
  }
}
