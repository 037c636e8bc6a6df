/** Who renders the objects, in `app.kubernetes.io/managed-by`. */
export const MANAGED_BY = 'cdk8s-data';

export interface LabelProps {
  /** The application, e.g. `mysql`, `postgresql`, `cassandra`. */
  readonly name: string;
  /** The unique instance, usually the database's own name. */
  readonly instance: string;
  /** The part within the architecture, e.g. `database`, `backup`, `migration`. */
  readonly component: string;
  /** The higher-level application this belongs to. @default the instance */
  readonly partOf?: string;
}

/** The recommended `app.kubernetes.io/*` labels. */
export function standardLabels(props: LabelProps): Record<string, string> {
  return {
    'app.kubernetes.io/name': props.name,
    'app.kubernetes.io/instance': props.instance,
    'app.kubernetes.io/component': props.component,
    'app.kubernetes.io/part-of': props.partOf ?? props.instance,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/**
 * The subset of the standard labels used in selectors. It leaves out `part-of` and
 * `managed-by`, which may change without re-creating workloads (selectors are immutable).
 */
export function selectorLabels(props: LabelProps): Record<string, string> {
  return {
    'app.kubernetes.io/name': props.name,
    'app.kubernetes.io/instance': props.instance,
    'app.kubernetes.io/component': props.component,
  };
}
