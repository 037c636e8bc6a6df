import { Duration } from 'cdk8s';
import { MonitoringProps } from '../core/monitoring';

/**
 * Prometheus Operator monitoring of a PostgresCluster: a PodMonitor for the instances (and one per
 * pooler), the scraper admitted on the metrics ports, and a PrometheusRule with the built-in alerts
 * plus `extraAlertRules`. `enabled` defaults to true.
 */
export interface PostgresMonitoringProps extends MonitoringProps {
  /** Replication lag that raises a warning (ten times this is critical). @default Duration.seconds(30) */
  readonly replicationLag?: Duration;
  /**
   * Age of the last successful base backup that raises an alert.
   * @default the longest gap between two scheduled backups plus 2 hours
   */
  readonly backupMaxAge?: Duration;
  /**
   * Custom metrics queries in CloudNativePG's YAML format (`<name>: { query, metrics: [...] }`),
   * rendered into the ConfigMap `<cluster>-monitoring-queries` that `monitoring.customQueriesConfigMap`
   * of the Cluster references. The instances run them whether or not `enabled` is set.
   * @default none
   */
  readonly customQueries?: string;
}
