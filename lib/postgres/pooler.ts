import { ResourceProps } from '../core/resources';

/** How PgBouncer shares server connections. */
export enum PoolMode {
  /** A server connection per client session. */
  SESSION = 'session',
  /** Server connections are shared between transactions. */
  TRANSACTION = 'transaction',
}

/** How the Service of a pooler is exposed. */
export enum PoolerServiceType {
  /** Reachable inside the Kubernetes cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a port of every node. */
  NODE_PORT = 'NodePort',
  /** Also through a cloud load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
}

/** The Service the operator creates for a pooler (CloudNativePG `serviceTemplate`). */
export interface PoolerServiceTemplate {
  /** Labels added to the Service (keys under `cnpg.io/` belong to the operator). @default none */
  readonly labels?: { [key: string]: string };
  /** Annotations added to the Service, e.g. for a load balancer controller. @default none */
  readonly annotations?: { [key: string]: string };
  /** How the Service is exposed. @default PoolerServiceType.CLUSTER_IP */
  readonly serviceType?: PoolerServiceType;
}

/** A PgBouncer connection pooler in front of the cluster (CloudNativePG `Pooler`). */
export interface PoolerProps {
  /**
   * Name of the Pooler and of its Service (a DNS label starting with a letter). Required in `poolers`.
   * With `readOnly`, the read-only pooler is named `<name>-ro`.
   * @default `<cluster>-pooler-rw` (and `<cluster>-pooler-ro` for the read-only pooler)
   */
  readonly name?: string;
  /** PgBouncer pods per pooler. @default 2 */
  readonly instances?: number;
  /** How server connections are shared. @default PoolMode.SESSION */
  readonly poolMode?: PoolMode;
  /** PgBouncer parameters (values are strings), e.g. `{ max_client_conn: "1000", default_pool_size: "20" }`. @default none */
  readonly parameters?: { [key: string]: string };
  /** Also render a read-only pooler in front of the standbys. @default false */
  readonly readOnly?: boolean;
  /** Resources of each PgBouncer container (memory request equals limit). @default cpu 100m, memory 128Mi */
  readonly resources?: ResourceProps;
  /** Labels, annotations and type of the pooler's Service. @default a ClusterIP Service with the operator's labels */
  readonly serviceTemplate?: PoolerServiceTemplate;
}
