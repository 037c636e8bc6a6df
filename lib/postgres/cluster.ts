import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { KEEP_ON_PRUNE, acknowledgeAnnotation } from '../core/annotations';
import { ConnectionInfo, CredentialsSecret, DatabaseEngine, IDatabase } from '../core/connection';
import { ResolvedEgress } from '../core/egress';
import { Problems } from '../core/errors';
import { parseImage } from '../core/image';
import { claimName } from '../core/unique-names';
import { Warnings } from '../core/warnings';
import { standardLabels } from '../core/labels';
import { RestoreJobOptions } from '../core/logical-backup';
import { PodNetworkPolicy, NetworkPeer } from '../core/network';
import { OnDemandBackupOptions } from './backup';
import { PostgresClusterProps, PostgresSecretKey } from './cluster-props';
import { renderBackupAndDatabases, renderInstancePolicy, renderLogicalBackup, renderMonitoring, renderPoolers } from './private/companions';
import { ResolvedBackup, renderOnDemandBackup } from './private/backup';
import { POSTGRES_PORT } from './private/constants';
import { SourceInfo } from './private/external-clusters';
import { LogicalBackup } from './private/logical-backup';
import { roleExpiries } from './private/roles';
import { ClusterSettings, resolveSettings } from './private/settings';
import { CnpgCluster, renderClusterSpec } from './private/spec';
import { PostgresVersion } from './version';
import { Ensure } from './roles';

/** The official Docker Hub image, however it is spelled. */
const DOCKER_HUB_POSTGRES = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?(?:library\/)?postgres$/;

/** Further keys of the Secret CloudNativePG generates for the application user. */
const GENERATED_APP_KEYS = { uri: 'uri', jdbcUri: 'jdbc-uri', host: 'host', port: 'port', dbname: 'dbname', pgpass: '.pgpass' };

function credentials(name: string, extraKeys?: { [key: string]: string }): CredentialsSecret {
  return { name, usernameKey: 'username', passwordKey: 'password', ...(extraKeys ? { extraKeys } : {}) };
}

/** How clients reach the cluster's services, and with which credentials. */
function connectionOf(s: ClusterSettings): ConnectionInfo {
  const { name, namespace } = s;
  return {
    engine: DatabaseEngine.POSTGRESQL,
    namespace,
    host: `${name}-rw.${namespace}.svc`,
    readOnlyHost: `${name}-ro.${namespace}.svc`,
    anyHost: `${name}-r.${namespace}.svc`,
    port: POSTGRES_PORT,
    database: s.bootstrap.database,
    secret: s.bootstrap.secret ? credentials(s.bootstrap.secret) : credentials(`${name}-app`, { ...GENERATED_APP_KEYS }),
    ...(s.superuserAccess ? { adminSecret: credentials(`${name}-superuser`, { ...GENERATED_APP_KEYS }) } : {}),
    tls: true,
    majorVersion: s.version.majorVersion,
  };
}

/** ObjectStores a recovery or replica reads that the app does not render (a read from nothing). */
function missingStores(scope: IConstruct, required: ReadonlyArray<{ name: string; namespace: string }>): string[] {
  const rendered = new Set(Chart.of(scope).node.root.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'ObjectStore' && c.apiGroup === 'barmancloud.cnpg.io')
    .map(o => `${o.metadata.namespace}/${o.name}`));
  return required.filter(r => !rendered.has(`${r.namespace}/${r.name}`)).map(r =>
    `external cluster reads ObjectStore "${r.name}" in namespace "${r.namespace}", which this app does not render. `
    + 'Fix: declare the backup of the source cluster in the app (backup.objectStore), or mark the ObjectStore external: true when it is managed elsewhere.');
}

/**
 * A production PostgreSQL cluster on CloudNativePG: the `Cluster` and the companions it needs
 * (ObjectStore and ScheduledBackup for backups, Pooler, PodMonitor and PrometheusRule, Database
 * resources, NetworkPolicies, an optional pg_dump CronJob).
 *
 * ```ts
 * const db = new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' } });
 * db.allowFrom(NetworkPeer.fromWorkload(deployment));
 * ```
 */
export class PostgresCluster extends Construct implements IDatabase {
  /** The CloudNativePG Cluster. */
  public readonly resource: ApiObject;
  /** Name of the Cluster. */
  public readonly name: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** How applications reach the primary (and standbys) directly. */
  public readonly connection: ConnectionInfo;
  /** How applications reach the first read-write pooler declared (`pooler`, else the first of `poolers`), when there is one. */
  public readonly poolerConnection?: ConnectionInfo;
  /** Labels CloudNativePG puts on every pod of the cluster. */
  public readonly podSelector: { [key: string]: string };
  /** The PostgreSQL version. */
  public readonly version: PostgresVersion;
  /** What clusters reading from this one need (host, TLS Secrets, object store). @internal */
  public readonly _source: SourceInfo;
  /** Restricted egress, when asked for; Jobs of companions (the upgrade's) follow it. @internal */
  public readonly _egress?: ResolvedEgress;

  private readonly networkPolicy: PodNetworkPolicy;
  private readonly poolerPolicies: PodNetworkPolicy[];
  private readonly logicalBackup?: LogicalBackup;
  private readonly backup?: ResolvedBackup;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const s = resolveSettings(this, id, props);
    const { name, namespace } = s;
    const unique = new Problems(this, 'PostgresCluster');
    claimName(unique, this, 'name', { kind: 'PostgresCluster', namespace, name, fix: 'give each cluster of a namespace its own name' });
    unique.throwIfAny();
    this.name = name;
    this.namespace = namespace;
    this.version = s.version;
    this._egress = s.egress;
    this.podSelector = { 'cnpg.io/cluster': name };
    this.connection = connectionOf(s);
    this._source = {
      namespace,
      host: this.connection.host,
      replicationTlsSecret: s.props.tls?.replicationTlsSecret ?? `${name}-replication`,
      serverCaSecret: s.props.tls?.serverCaSecret ?? `${name}-ca`,
      objectStore: s.backup?.props.objectStore ? { name: s.backup.storeName, serverName: s.backup.serverName } : undefined,
      owner: s.bootstrap.owner,
      database: s.bootstrap.database,
      replicationRoles: s.roles.filter(r => r.replication === true && (r.ensure ?? Ensure.PRESENT) === Ensure.PRESENT).map(r => r.name),
    };
    const required = s.externalClusters.flatMap(c => (c.requiredStore ? [c.requiredStore] : []));
    if (required.length > 0) this.node.addValidation({ validate: () => missingStores(this, required) });

    const annotations = { ...KEEP_ON_PRUNE, ...acknowledgeAnnotation(props.acknowledge) };
    const labels = standardLabels({ name: 'postgresql', instance: name, component: 'database' });
    // A lower memory request is the user's choice: say so at synth and in the verification report.
    const skipped: Record<string, string> = s.memoryRequestBelowLimit ? { 'skip-check.data.cdk8s.io/cnpg-resources': s.memoryRequestBelowLimit } : {};
    if (s.memoryRequestBelowLimit) Warnings.of(this).add('postgres-memory-request-below-limit', `${s.memoryRequestBelowLimit}: under memory pressure the instances lose page cache or are evicted first`);
    this.resource = new CnpgCluster(this, 'Resource', { metadata: { name, namespace, labels, annotations: { ...annotations, ...skipped } }, spec: renderClusterSpec(s) }, roleExpiries(s.roles));
    this.backup = s.backup;
    renderBackupAndDatabases(this, s, annotations);
    this.networkPolicy = renderInstancePolicy(this, s);
    const poolers = renderPoolers(this, s, this.networkPolicy);
    this.poolerPolicies = poolers.policies;
    // The first pooler declared (the `pooler` prop's, else the first of `poolers`).
    const first = s.poolers[0];
    if (first) {
      const readOnly = s.poolers.find(p => p.props === first.props && p.type === 'ro');
      this.poolerConnection = {
        ...this.connection, host: `${first.name}.${namespace}.svc`, readOnlyHost: readOnly ? `${readOnly.name}.${namespace}.svc` : undefined, anyHost: undefined,
      };
    }
    this.logicalBackup = renderLogicalBackup(this, s, this.networkPolicy, this.connection.secret!.name);
    renderMonitoring(this, s, poolers.names);
    if (s.version.image !== undefined && DOCKER_HUB_POSTGRES.test(parseImage(s.version.image).repository)) {
      Warnings.of(this).add('postgres-docker-hub-image', `version.image "${s.version.image}" is the Docker Hub postgres image; CloudNativePG expects its own operand images `
        + '(ghcr.io/cloudnative-pg/postgresql, with the extensions and locale it relies on): use PostgresVersion.V17/V18, or fromImage with a CloudNativePG image or one built from it');
    }
    for (const source of s.externalClusters) source.cluster?._admit({ 'cnpg.io/cluster': name }, namespace);
  }

  /** Admits pods of the app that read from this cluster (another cluster's instances, an upgrade Job) to the instances on 5432. @internal */
  public _admit(podLabels: { [key: string]: string }, namespace: string): void {
    this.networkPolicy.allowPeer(NetworkPeer.fromPodLabels(podLabels, namespace), [POSTGRES_PORT]);
  }

  /**
   * Admits `peer` to PostgreSQL (5432) on the instances and on the poolers. A workload's pod
   * labels are read at synth time, so later changes to its template count.
   */
  public allowFrom(peer: NetworkPeer): void {
    const problems = new Problems(this, 'PostgresCluster');
    if (problems.check(peer instanceof NetworkPeer, 'allowFrom', peer, 'is not a NetworkPeer', 'use NetworkPeer.fromWorkload(deployment) or NetworkPeer.fromPodLabels({ app: "api" })')) {
      peer._validate(problems, 'allowFrom');
    }
    problems.throwIfAny();
    this.networkPolicy.allowPeer(peer, [POSTGRES_PORT]);
    for (const policy of this.poolerPolicies) policy.allowPeer(peer, [POSTGRES_PORT]);
  }

  /**
   * Renders a one-off Job restoring a dump of the logical backup into the application database.
   * Apply it deliberately: it replaces the objects the dump holds.
   * @param id construct id of the Job
   * @param options the dump file and the Job's name
   */
  public addRestoreJob(id: string = 'Restore', options: RestoreJobOptions = {}): ApiObject {
    const problems = new Problems(this, 'PostgresCluster');
    if (!this.logicalBackup) {
      problems.add('logicalBackup', undefined, 'is not declared, so there is no dump to restore', 'declare logicalBackup to take dumps a restore Job can read');
      problems.throwIfAny();
    }
    return this.logicalBackup!.addRestoreJob(problems, id, options, this);
  }

  /**
   * Renders a one-off physical backup (a CloudNativePG `Backup`), taken when it is applied, e.g.
   * before an upgrade. It uses the object store or volume snapshots of the `backup` prop.
   * @param id construct id; the Backup is named `<cluster>-<id>` unless `options.name` is given
   * @param options name, method and target of the backup
   */
  public addBackup(id: string, options: OnDemandBackupOptions = {}): ApiObject {
    const problems = new Problems(this, 'PostgresCluster');
    const labels = standardLabels({ name: 'postgresql', instance: this.name, component: 'backup' });
    return renderOnDemandBackup(this, problems, id, { cluster: this.name, namespace: this.namespace, labels, backup: this.backup, options });
  }

  /** An env var reading key `key` of the application Secret (e.g. the connection URI), for a client container. */
  public secretEnv(envName: string, key: PostgresSecretKey = PostgresSecretKey.URI): k8s.EnvVar {
    return { name: envName, valueFrom: { secretKeyRef: { name: this.connection.secret!.name, key } } };
  }
}
