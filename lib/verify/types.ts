/** How bad a finding is: errors fail `npm run verify` and the tests; warnings are reported. */
export type Severity = 'error' | 'warning';

/** One finding of one check on one object. */
export interface Finding {
  /** Check id from POLICY.md, e.g. `schema-strict`, `run-as-non-root`, `pdb`. */
  readonly check: string;
  readonly severity: Severity;
  /** `Kind/name` (with `namespace/` prefix when set). */
  readonly object: string;
  /** Container the finding applies to, where it applies to one. */
  readonly container?: string;
  /** Origin of the rule: PSS, KL, KS, PO, API, DB, yamllint, kubeconform. */
  readonly origin: string;
  readonly message: string;
  /** File the object came from, when verifying files. */
  readonly file?: string;
}

/** The result of verifying a set of objects. */
export interface VerifyReport {
  readonly findings: readonly Finding[];
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
}

/** Where verification finds its data, and what it checks. */
export interface VerifyOptions {
  /**
   * Directory holding `k8s-v1.28.0-_definitions.json` and `k8s-v1.32.0-_definitions.json`.
   * @default env CDK8S_DATA_SCHEMAS, else `../shared/schemas` next to the package root
   */
  readonly schemaDir?: string;
  /**
   * Directory holding CustomResourceDefinition YAML files.
   * @default env CDK8S_DATA_CRDS, else `../shared/crds` next to the package root
   */
  readonly crdDir?: string;
  /**
   * Kubernetes versions to validate built-in objects against (file `k8s-v<version>-_definitions.json`).
   * @default ['1.28.0', '1.32.0']
   */
  readonly kubernetesVersions?: readonly string[];
  /** File the objects came from, put on every finding. @default none */
  readonly file?: string;
  /** Skip the policy checks (schema and CRD checks only). @default false */
  readonly schemaOnly?: boolean;
}
