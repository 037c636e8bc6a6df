import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodMonitor } from '../../../imports/prom-podmonitors-monitoring.coreos.com';
import { RenderedAlertRule, renderPrometheusRule } from '../../core/monitoring';
import { helperResources } from '../../core/resources';
import { hardenedContainerSecurityContext, RunAsIds } from '../../core/security';
import { MonitoringSettings } from './settings';

/** The MySQL client port. */
export const MYSQL_PORT = 3306;
/** The port mysqld-exporter serves metrics on. */
export const MYSQL_EXPORTER_PORT = 9104;
/** The `nobody` user the Prometheus exporter images run as. */
const EXPORTER_IDS: RunAsIds = { uid: 65534, gid: 65534 };

/** Where the monitoring objects go and what they select. */
export interface MonitoringTarget {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly podSelector: Record<string, string>;
}

/** The mysqld-exporter sidecar, logging in over loopback with the exporter account. */
export function exporterContainer(monitoring: MonitoringSettings): k8s.Container {
  const creds = monitoring.exporterCredentials;
  return {
    name: 'exporter',
    image: monitoring.exporterImage,
    imagePullPolicy: 'IfNotPresent',
    args: [
      `--mysqld.address=127.0.0.1:${MYSQL_PORT}`,
      // Kubernetes expands $(VAR) from the container's env, here a secretKeyRef.
      '--mysqld.username=$(MYSQLD_EXPORTER_USER)',
      `--web.listen-address=:${MYSQL_EXPORTER_PORT}`,
    ],
    env: [
      { name: 'MYSQLD_EXPORTER_USER', valueFrom: { secretKeyRef: { name: creds.secretName, key: creds.usernameKey } } },
      { name: 'MYSQLD_EXPORTER_PASSWORD', valueFrom: { secretKeyRef: { name: creds.secretName, key: creds.passwordKey } } },
    ],
    ports: [{ name: 'metrics', containerPort: MYSQL_EXPORTER_PORT, protocol: 'TCP' }],
    resources: helperResources('50m', '128Mi'),
    securityContext: hardenedContainerSecurityContext(EXPORTER_IDS),
    livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  };
}

/** The PodMonitor (unless turned off) and the PrometheusRule (when there are rules). */
export function renderMonitoringObjects(scope: Construct, monitoring: MonitoringSettings, target: MonitoringTarget, builtIn: RenderedAlertRule[]): void {
  const metadata = { name: target.name, namespace: target.namespace, labels: { ...monitoring.labels, ...target.labels } };
  if (monitoring.podMonitor) {
    new PodMonitor(scope, 'PodMonitor', {
      metadata,
      spec: {
        selector: { matchLabels: { ...target.podSelector } },
        namespaceSelector: { matchNames: [target.namespace] },
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: `${monitoring.intervalSeconds}s` }],
      },
    });
  }
  const rules = [...(monitoring.alerts ? builtIn : []), ...monitoring.rules];
  if (rules.length === 0) return;
  renderPrometheusRule(scope, 'PrometheusRule', { ...metadata, group: `mysql.${target.namespace}.${target.name}`, alertLabels: monitoring.alertLabels }, rules);
}
