import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionInfo } from '../core/connection';
import { SecretKeyReference, checkSecretKeyReference } from '../core/credentials';
import { checkDuration } from '../core/duration';
import { Problems } from '../core/errors';
import { helperPolicy } from '../core/egress';
import { selectorLabels, standardLabels } from '../core/labels';
import { checkChoice, checkName } from '../core/names';
import { NetworkPeer } from '../core/network';
import { PostgresCluster } from './cluster';
import { PostgresClusterProps } from './cluster-props';
import { Bootstrap } from './bootstrap';
import { DatabaseReclaimPolicy } from './database';
import { ExternalCluster } from './external-cluster';
import { POSTGRES_PORT } from './private/constants';
import { renderPublications } from './private/logical-replication';
import { renderSequenceSyncJob } from './private/upgrade-job';
import { PostgresVersion } from './version';

/** Where a blue/green major upgrade stands; each phase is a one-line change in the app. */
export enum UpgradePhase {
  /** The new cluster imports the schema and subscribes to the old one; clients use the old cluster. */
  REPLICATE = 'replicate',
  /** A Job waits for the subscription to catch up and copies sequence positions; the client Service points at the new cluster. */
  CUTOVER = 'cutover',
  /** The subscription and the publication are dropped; the old cluster can be removed in a later change. */
  RETIRE = 'retire',
}

/** Annotations the upgrade writes on its client Service, which the safety gate reads. */
const PHASE_ANNOTATION = 'data.cdk8s.io/upgrade-phase';

/** Props of a PostgresMajorUpgrade. */
export interface PostgresMajorUpgradeProps {
  /**
   * The running cluster. Its bootstrap owner (or `user`) must be declared in its `roles` with
   * `replication: true`: the subscription connects as that role.
   */
  readonly source: PostgresCluster;
  /**
   * Props of the new cluster, with the new `version` (a later major). `bootstrap`, `replica` and
   * `subscriptions` are set by the upgrade. The name defaults to `<source>-pg<major>`.
   */
  readonly cluster: PostgresClusterProps;
  /** The phase: `REPLICATE`, then `CUTOVER`, then `RETIRE`. */
  readonly phase: UpgradePhase;
  /** Name of the client Service that follows the phase. @default `<source>-primary` */
  readonly serviceName?: string;
  /** Role of the old cluster the subscription and the sequence sync connect as. @default the old cluster's bootstrap owner */
  readonly user?: string;
  /** Password of `user`. @default the `password` key of the old cluster's application Secret (for the owner) */
  readonly password?: SecretKeyReference;
  /** How long the cutover Job may wait for the subscription to catch up and copy sequences. @default Duration.minutes(30) */
  readonly cutoverTimeout?: Duration;
}

/**
 * A zero-downtime major upgrade by logical replication ("blue/green"): renders the new cluster
 * (schema-only import from the old one), a Publication on the old cluster and a Subscription on the
 * new one, a client Service that points at the old primary and then at the new one, and at cutover a
 * Job that copies sequence positions.
 *
 * ```ts
 * const upgrade = new PostgresMajorUpgrade(chart, 'upgrade', {
 *   source: orders, phase: UpgradePhase.REPLICATE,
 *   cluster: { version: PostgresVersion.V18, storage: { size: '20Gi' } },
 * });
 * ```
 */
export class PostgresMajorUpgrade extends Construct {
  /** The new cluster. */
  public readonly cluster: PostgresCluster;
  /** The client Service: `<serviceName>.<namespace>.svc`. */
  public readonly service: ApiObject;
  /** How clients reach the primary of the current phase: the client Service, with the same Secret on both clusters. */
  public readonly connection: ConnectionInfo;
  /** The phase rendered. */
  public readonly phase: UpgradePhase;

  private readonly source: PostgresCluster;

  constructor(scope: Construct, id: string, props: PostgresMajorUpgradeProps) {
    super(scope, id);
    const problems = new Problems(this, 'PostgresMajorUpgrade');
    const from = props.source;
    if (!problems.check(from instanceof PostgresCluster, 'source', from, 'is not a PostgresCluster', 'pass the running cluster construct')) problems.throwIfAny();
    const src = from._source;
    checkChoice(problems, 'phase', props.phase, UpgradePhase);
    const target = props.cluster ?? ({} as PostgresClusterProps);
    const version = target.version ?? PostgresVersion.DEFAULT;
    const toMajor = version instanceof PostgresVersion ? Number(version.majorVersion) : NaN;
    const fromMajor = Number(from.version.majorVersion);
    problems.check(toMajor > fromMajor, 'cluster.version', version instanceof PostgresVersion ? version.image : version,
      `is not a later major than the old cluster's ${fromMajor}`, toMajor === fromMajor ? 'a minor update happens in place: change the old cluster\'s version' : `give PostgresVersion.V${fromMajor + 1} or later`);
    problems.check(!(version instanceof PostgresVersion) || version.image !== undefined, 'cluster.version', 'image catalog', 'gives no image for the cutover Job',
      'pin an image with PostgresVersion.V18 or fromImage(...)');
    for (const key of ['bootstrap', 'replica', 'subscriptions'] as const) {
      problems.check(target[key] === undefined, `cluster.${key}`, key, 'is set by the upgrade', `leave cluster.${key} out`);
    }
    const name = target.name ?? `${from.name}-pg${version instanceof PostgresVersion ? version.majorVersion : ''}`;
    problems.check(name !== from.name, 'cluster.name', name, 'is the old cluster\'s name', 'leave it out for <source>-pg<major>');
    problems.check((target.namespace ?? src.namespace) === src.namespace, 'cluster.namespace', target.namespace, 'differs from the old cluster\'s', 'keep both clusters in one namespace');
    const serviceName = props.serviceName ?? `${from.name}-primary`;
    checkName(problems, 'serviceName', serviceName, 'service');
    const user = props.user ?? src.owner;
    problems.check(src.replicationRoles.includes(user), 'user', user, 'is not a role of the old cluster with the REPLICATION attribute',
      `declare it in the old cluster's roles, e.g. roles: [{ name: '${user}', replication: true }]`);
    problems.check(props.user === undefined || props.user === src.owner || props.password !== undefined, 'password', undefined,
      `is needed for "${user}"`, 'give the Secret key holding its password (its managed role\'s passwordSecret)');
    if (props.password !== undefined) checkSecretKeyReference(problems, 'password', props.password);
    const timeout = checkDuration(problems, 'cutoverTimeout', props.cutoverTimeout, { fallback: Duration.minutes(30), min: Duration.minutes(1), max: Duration.hours(24) });
    problems.throwIfAny();

    this.source = from;
    this.phase = props.phase;
    const appSecret = from.connection.secret!.name;
    const password = props.password ?? { secretName: appSecret, key: 'password' };
    const pubName = `upgrade_pg${toMajor}`;
    const source = ExternalCluster.fromCluster(from, { name: `${from.name}-upgrade-source`, user, password, dbname: src.database });
    const replicating = props.phase !== UpgradePhase.RETIRE;

    this.cluster = new PostgresCluster(this, 'Cluster', {
      ...target,
      name,
      version,
      bootstrap: Bootstrap.logicalImport({ source, databases: [src.database], schemaOnly: true, database: src.database, owner: src.owner, secret: appSecret }),
      subscriptions: replicating ? [{ name: pubName, source, publicationName: pubName, reclaimPolicy: DatabaseReclaimPolicy.DELETE }] : undefined,
    });
    const labels = standardLabels({ name: 'postgresql', instance: from.name, component: 'upgrade' });
    if (replicating) {
      renderPublications(this, { cluster: from.name, namespace: src.namespace, database: src.database, labels, annotations: {} },
        [{ name: pubName, reclaimPolicy: DatabaseReclaimPolicy.DELETE }]);
    }
    const current = props.phase === UpgradePhase.REPLICATE ? from.name : name;
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: {
        name: serviceName, namespace: src.namespace, labels,
        annotations: { [PHASE_ANNOTATION]: props.phase, 'data.cdk8s.io/upgrade-from': from.name, 'data.cdk8s.io/upgrade-to': name },
      },
      spec: {
        selector: { 'cnpg.io/cluster': current, 'cnpg.io/instanceRole': 'primary' },
        ports: [{ name: 'postgres', port: POSTGRES_PORT, targetPort: k8s.IntOrString.fromNumber(POSTGRES_PORT), protocol: 'TCP' }],
      },
    });
    this.connection = { ...this.cluster.connection, host: `${serviceName}.${src.namespace}.svc`, readOnlyHost: undefined, anyHost: undefined, secret: from.connection.secret };
    if (props.phase === UpgradePhase.CUTOVER) {
      const jobLabels = standardLabels({ name: 'postgresql', instance: name, component: 'sequence-sync' });
      renderSequenceSyncJob(this, {
        name: `${name}-sequence-sync`, namespace: src.namespace, labels: jobLabels, image: this.cluster.version.image!,
        subscription: pubName, timeoutSeconds: timeout,
        source: { host: from.connection.host, database: src.database, user, password },
        target: { host: this.cluster.connection.host, database: src.database, secret: appSecret },
      });
      // Nothing connects to the Job; with the new cluster's restricted egress it reaches both primaries only.
      helperPolicy(this, 'SequenceSyncNetwork', {
        name: `${name}-sequence-sync`, namespace: src.namespace, labels: jobLabels,
        podSelector: selectorLabels({ name: 'postgresql', instance: name, component: 'sequence-sync' }), egress: this.cluster._egress,
        databases: [from.name, name].map(cluster => ({ podSelector: { 'cnpg.io/cluster': cluster, 'cnpg.io/podRole': 'instance' }, ports: [POSTGRES_PORT] })),
      });
      from._admit({ 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': 'sequence-sync' }, src.namespace);
      this.cluster._admit({ 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': 'sequence-sync' }, src.namespace);
    }
  }

  /** Admits `peer` to PostgreSQL on both clusters, so clients keep working across the cutover. */
  public allowFrom(peer: NetworkPeer): void {
    this.source.allowFrom(peer);
    this.cluster.allowFrom(peer);
  }
}
