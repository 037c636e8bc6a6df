import { Duration } from 'cdk8s';
import { MonitoringProps } from '../core/monitoring';

/**
 * Monitoring of a Cassandra datacenter or rack: an exporter sidecar in every node's pod reading
 * the node's own JMX over loopback (port 7199 is never exposed), its PodMonitor, the scraper
 * admitted by the NetworkPolicy on the metrics port only, and a PrometheusRule with the built-in
 * alerts (node not ready, nodes seen down by gossip, dropped messages, pending compactions, heap
 * pressure, disk filling, and repair failed or overdue when repairs are scheduled).
 *
 * On by default: the exporter needs no credentials. It needs the Prometheus Operator CRDs; set
 * `enabled: false` where they are not installed.
 */
export interface CassandraMonitoringProps extends MonitoringProps {
  /**
   * The exporter image, pinned: criteo's cassandra_exporter, the standalone JMX exporter the
   * Bitnami chart and the KUDO operator run next to the official image.
   * @default 'criteord/cassandra_exporter:2.3.8'
   */
  readonly exporterImage?: string;
  /**
   * Render a PodMonitor (monitoring.coreos.com/v1) selecting the nodes' `metrics` port.
   * @default true
   */
  readonly podMonitor?: boolean;
  /**
   * Scrape interval of the PodMonitor.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * Pending compactions on one node above which `CassandraPendingCompactions` fires (after 30 minutes).
   * @default 100
   */
  readonly pendingCompactionsThreshold?: number;
}
