import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Cluster, ClusterSpec, ClusterSpecBackup, ClusterSpecCertificates, ClusterSpecPlugins, ClusterSpecPostgresql, ClusterSpecPostgresqlSynchronousDataDurability,
  ClusterSpecPostgresqlSynchronousMethod, ClusterSpecPrimaryUpdateMethod, ClusterSpecPrimaryUpdateStrategy, ClusterSpecResourcesLimits, ClusterSpecResourcesRequests,
} from '../../../imports/cnpg-clusters-postgresql.cnpg.io';
import { ResolvedStorage } from '../../core/storage';
import { BackupMethod } from '../backup';
import { DataDurability, PrimaryUpdateMethod, PrimaryUpdateStrategy, SynchronousMethod } from '../cluster-props';
import { ImageCatalogKind } from '../version';
import { BARMAN_CLOUD_PLUGIN, plain, resourceQuantities } from './constants';
import { renderRoles } from './roles';
import { renderTablespaces } from './tablespaces';
import { renderAffinity, renderZoneSpread } from './scheduling';
import { ClusterSettings } from './settings';
import { customQueriesConfigMap } from './monitoring';
import { renderExtensionImages } from './extension-images';

/**
 * The imported Cluster, writing managed roles' `validUntil` as the RFC 3339 strings given: the
 * import types it as a Date, which cdk8s cannot resolve.
 */
export class CnpgCluster extends Cluster {
  constructor(scope: Construct, id: string, props: { metadata: ApiObjectMetadata; spec: ClusterSpec }, private readonly expiries: Map<number, string>) {
    super(scope, id, props);
  }

  public override toJson(): any {
    const json = super.toJson();
    for (const [index, value] of this.expiries) json.spec.managed.roles[index].validUntil = value;
    return json;
  }
}

function volume(storage: ResolvedStorage | undefined) {
  return storage ? { size: storage.size, storageClass: storage.storageClass, resizeInUseVolumes: true } : undefined;
}

function postgresql(s: ClusterSettings): ClusterSpecPostgresql | undefined {
  const { parameters, pgHba, sharedPreloadLibraries, synchronous: sync } = s.props;
  if (!plain(parameters) && !pgHba?.length && !sharedPreloadLibraries?.length && !sync && !s.props.extensionImages?.length) return undefined;
  return {
    extensions: renderExtensionImages(s.props.extensionImages),
    parameters: plain(parameters),
    synchronous: sync ? {
      method: sync.method === SynchronousMethod.FIRST ? ClusterSpecPostgresqlSynchronousMethod.FIRST : ClusterSpecPostgresqlSynchronousMethod.ANY,
      number: sync.number,
      dataDurability: sync.dataDurability === DataDurability.PREFERRED ? ClusterSpecPostgresqlSynchronousDataDurability.PREFERRED : ClusterSpecPostgresqlSynchronousDataDurability.REQUIRED,
      failoverQuorum: sync.failoverQuorum,
    } : undefined,
    pgHba: pgHba?.length ? [...pgHba] : undefined,
    sharedPreloadLibraries: sharedPreloadLibraries?.length ? [...sharedPreloadLibraries] : undefined,
  };
}

/** The Barman Cloud plugin as WAL archiver, when backups go to an object store. */
function plugins(s: ClusterSettings): ClusterSpecPlugins[] | undefined {
  const backup = s.backup;
  if (!backup?.props.objectStore) return undefined;
  return [{
    name: BARMAN_CLOUD_PLUGIN,
    enabled: true,
    isWalArchiver: true,
    parameters: { barmanObjectName: backup.storeName, ...(backup.serverName !== s.name ? { serverName: backup.serverName } : {}) },
  }];
}

function volumeSnapshotBackup(s: ClusterSettings): ClusterSpecBackup | undefined {
  const snapshot = s.backup?.props.volumeSnapshot;
  return snapshot ? { volumeSnapshot: { className: snapshot.className, walClassName: snapshot.walClassName, online: snapshot.online ?? true } } : undefined;
}

function certificates(s: ClusterSettings): ClusterSpecCertificates | undefined {
  const tls = s.props.tls;
  return tls ? {
    serverTlsSecret: tls.serverTlsSecret,
    serverCaSecret: tls.serverCaSecret,
    clientCaSecret: tls.clientCaSecret,
    replicationTlsSecret: tls.replicationTlsSecret,
  } : undefined;
}

/** The Cluster's spec, from validated settings. */
export function renderClusterSpec(s: ClusterSettings): ClusterSpec {
  const { version, props } = s;
  const identity = props.workloadIdentity;
  return {
    description: props.description,
    instances: s.instances,
    imageName: version.image,
    imageCatalogRef: version.catalog
      ? { apiGroup: 'postgresql.cnpg.io', kind: version.catalog.kind ?? ImageCatalogKind.IMAGE_CATALOG, name: version.catalog.name, major: version.major }
      : undefined,
    imagePullPolicy: s.lifecycle.imagePullPolicy,
    startDelay: s.lifecycle.startDelay,
    stopDelay: s.lifecycle.stopDelay,
    smartShutdownTimeout: s.lifecycle.smartShutdownTimeout,
    switchoverDelay: s.lifecycle.switchoverDelay,
    failoverDelay: s.lifecycle.failoverDelay,
    nodeMaintenanceWindow: props.nodeMaintenance ? { inProgress: props.nodeMaintenance.inProgress, reusePvc: props.nodeMaintenance.reuseVolumes ?? true } : undefined,
    replicationSlots: props.logicalSlotSync ? { highAvailability: { enabled: true, synchronizeLogicalDecoding: true } } : undefined,
    superuserSecret: props.superuserSecret ? { name: props.superuserSecret } : undefined,
    enableSuperuserAccess: s.superuserAccess,
    monitoring: s.monitoring.customQueries !== undefined ? { customQueriesConfigMap: [customQueriesConfigMap(s.name)] } : undefined,
    enablePdb: s.disruptionBudget,
    primaryUpdateStrategy: s.primaryUpdateStrategy === PrimaryUpdateStrategy.SUPERVISED ? ClusterSpecPrimaryUpdateStrategy.SUPERVISED : ClusterSpecPrimaryUpdateStrategy.UNSUPERVISED,
    primaryUpdateMethod: s.primaryUpdateMethod === PrimaryUpdateMethod.RESTART ? ClusterSpecPrimaryUpdateMethod.RESTART : ClusterSpecPrimaryUpdateMethod.SWITCHOVER,
    storage: volume(s.storage),
    walStorage: volume(s.walStorage),
    tablespaces: renderTablespaces(s.tablespaces),
    resources: resourceQuantities(s.resources, ClusterSpecResourcesRequests.fromString, ClusterSpecResourcesLimits.fromString),
    affinity: renderAffinity(s.scheduling),
    topologySpreadConstraints: renderZoneSpread(s.scheduling, s.name),
    priorityClassName: s.scheduling.props.priorityClassName,
    postgresql: postgresql(s),
    bootstrap: s.bootstrap.spec,
    serviceAccountTemplate: plain(identity?.serviceAccountAnnotations) ? { metadata: { annotations: plain(identity!.serviceAccountAnnotations) } } : undefined,
    inheritedMetadata: plain(identity?.podLabels) ? { labels: plain(identity!.podLabels) } : undefined,
    externalClusters: s.externalClusters.length > 0 ? s.externalClusters.map(c => c.entry) : undefined,
    replica: s.replica?.spec,
    managed: s.roles.length > 0 ? { roles: renderRoles(s.roles) } : undefined,
    plugins: plugins(s),
    backup: volumeSnapshotBackup(s),
    certificates: certificates(s),
  };
}

/** Whether base backups go to the object store on a schedule (the backup age alerts apply). */
export function pluginBackups(s: ClusterSettings): boolean {
  return s.backup?.method === BackupMethod.PLUGIN;
}
