import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prom-prometheusrules-monitoring.coreos.com';
import { Problems } from './errors';
import { checkDuration } from './duration';
import { checkChoice, checkLabels } from './names';
import { NetworkPeer } from './network';

/** How urgent an alert is; Alertmanager routes on the `severity` label. */
export enum AlertSeverity {
  /** Someone must act now: data or availability is at risk. */
  CRITICAL = 'critical',
  /** Needs attention during working hours. */
  WARNING = 'warning',
}

/** An alerting rule of your own, rendered next to the construct's built-in alerts. */
export interface AlertRule {
  /** Alert name, e.g. `OrdersDbSlowCheckout`. */
  readonly alert: string;
  /** PromQL expression; the alert fires while it returns series. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires (the rule's `for`). @default Duration.minutes(5) */
  readonly pendingFor?: Duration;
  /** @default AlertSeverity.WARNING */
  readonly severity?: AlertSeverity;
  /** One-line summary (annotation `summary`). */
  readonly summary: string;
  /** What it means and what to do (annotation `description`). @default the summary */
  readonly description?: string;
}

/**
 * Monitoring of a database through the Prometheus Operator: a PodMonitor for its metrics port,
 * the scraper admitted by the NetworkPolicy, and a PrometheusRule with its alerts. The same shape on
 * every construct; constructs add the settings only they have.
 */
export interface MonitoringProps {
  /**
   * Render the metrics objects (needs the Prometheus Operator CRDs).
   * @default true when the construct can be monitored without more input; see the construct
   */
  readonly enabled?: boolean;
  /**
   * Who may scrape the metrics ports through the NetworkPolicy.
   * @default pods labelled `app.kubernetes.io/name: prometheus` in namespace `monitoring`
   *   (kube-prometheus-stack's Prometheus)
   */
  readonly scraper?: NetworkPeer;
  /** Labels added to the PodMonitors and the PrometheusRule, e.g. the ones your Prometheus selects on. @default none */
  readonly labels?: { [key: string]: string };
  /** Render the built-in alerting rules. @default true */
  readonly alerts?: boolean;
  /** Labels added to every alert, e.g. a team for routing. @default none */
  readonly alertLabels?: { [key: string]: string };
  /** Your own alerting rules, in the same PrometheusRule. @default none */
  readonly extraAlertRules?: AlertRule[];
}

const ALERT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validates the shared monitoring props under `field`. */
export function checkMonitoringProps(problems: Problems, field: string, props: MonitoringProps | undefined): void {
  if (props === undefined) return;
  for (const key of ['enabled', 'alerts'] as const) {
    problems.check(props[key] === undefined || typeof props[key] === 'boolean', `${field}.${key}`, props[key], 'must be true or false', 'leave it out for the default');
  }
  if (props.scraper !== undefined) {
    if (problems.check(props.scraper instanceof NetworkPeer, `${field}.scraper`, props.scraper, 'is not a NetworkPeer',
      'use NetworkPeer.fromPodLabels({ "app.kubernetes.io/name": "prometheus" }, "monitoring")')) {
      props.scraper._validate(problems, `${field}.scraper`);
    }
  }
  checkLabels(problems, `${field}.labels`, props.labels);
  checkLabels(problems, `${field}.alertLabels`, props.alertLabels);
  (props.extraAlertRules ?? []).forEach((rule, i) => {
    const at = `${field}.extraAlertRules[${i}]`;
    problems.check(typeof rule?.alert === 'string' && ALERT_NAME.test(rule.alert), `${at}.alert`, rule?.alert, 'is not an alert name', 'use letters, digits and "_", e.g. "OrdersDbSlowCheckout"');
    problems.check(typeof rule?.expr === 'string' && rule.expr.trim() !== '', `${at}.expr`, rule?.expr, 'is empty', 'give a PromQL expression');
    problems.check(typeof rule?.summary === 'string' && rule.summary.trim() !== '', `${at}.summary`, rule?.summary, 'is empty', 'say in one line what is wrong');
    if (rule?.severity !== undefined) checkChoice(problems, `${at}.severity`, rule.severity, AlertSeverity);
    checkDuration(problems, `${at}.pendingFor`, rule?.pendingFor, { fallback: Duration.minutes(5), min: Duration.seconds(0), max: Duration.days(1) });
  });
}

/** An alerting rule as rendered: every default applied, `for` as a Prometheus duration. */
export interface RenderedAlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly description: string;
}

/** Seconds as a Prometheus duration in its largest whole unit: `5m`, `1h`, `90s`. */
export function promDuration(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** The user's own rules (validated by checkMonitoringProps), with their defaults applied. */
export function resolveAlertRules(rules: AlertRule[] | undefined): RenderedAlertRule[] {
  return (rules ?? []).map(rule => ({
    alert: rule.alert,
    expr: rule.expr,
    for: promDuration((rule.pendingFor ?? Duration.minutes(5)).toSeconds()),
    severity: rule.severity ?? AlertSeverity.WARNING,
    summary: rule.summary,
    description: rule.description ?? rule.summary,
  }));
}

/** Where a PrometheusRule goes and what every alert of it carries. */
export interface PrometheusRuleTarget {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Name of the rule group, unique in the Prometheus. */
  readonly group: string;
  /** The user's `alertLabels`, first on every alert. */
  readonly alertLabels?: { [key: string]: string };
  /** Labels that identify the database on every alert, after `severity`. */
  readonly identity?: Record<string, string>;
}

/** Renders one PrometheusRule with one group holding `rules`. */
export function renderPrometheusRule(scope: Construct, id: string, target: PrometheusRuleTarget, rules: RenderedAlertRule[]): PrometheusRule {
  return new PrometheusRule(scope, id, {
    metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
    spec: {
      groups: [{
        name: target.group,
        rules: rules.map(rule => ({
          alert: rule.alert,
          expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
          for: rule.for,
          labels: { ...Object.fromEntries(Object.entries(target.alertLabels ?? {})), severity: rule.severity, ...target.identity },
          annotations: { summary: rule.summary, description: rule.description },
        })),
      }],
    },
  });
}
