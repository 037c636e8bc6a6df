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

/** Findings of one check on one object left out through the object's skip annotation. */
export interface SkippedCheck {
  readonly check: string;
  /** `Kind/name` (with `namespace/` prefix when set). */
  readonly object: string;
  /** The reason the annotation gives. */
  readonly reason: string;
  /** How many findings it left out. */
  readonly findings: number;
  readonly file?: string;
}

/** The result of verifying a set of objects. */
export interface VerifyReport {
  readonly findings: readonly Finding[];
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  /** Checks objects opted out of (annotation `skip-check.data.cdk8s.io/<check>: <reason>`), with their reasons. */
  readonly skipped: readonly SkippedCheck[];
}

/** Where verification finds its data, and what it checks. */
export interface VerifyOptions {
  /**
   * Directory holding `k8s-v1.28.0-_definitions.json` and `k8s-v1.32.0-_definitions.json`
   * (yannh/kubernetes-json-schema); replaces the bundled Kubernetes schemas.
   * @default env CDK8S_DATA_SCHEMAS, else the schemas bundled with the package
   */
  readonly schemaDir?: string;
  /**
   * Directory of CustomResourceDefinition YAML files, added to the bundled CRDs (a CRD given
   * here replaces a bundled one of the same group and kind).
   * @default env CDK8S_DATA_CRDS (several directories separated by `:`), else none
   */
  readonly crdDir?: string;
  /** More CRD directories, like `crdDir`. @default none */
  readonly crdDirs?: readonly string[];
  /** Use the CRDs bundled with the package. @default true */
  readonly bundledCrds?: boolean;
  /**
   * Report a custom resource whose CRD is unknown as a warning (`missing-schema`) instead of an error.
   * @default false
   */
  readonly ignoreMissingSchemas?: boolean;
  /** Check ids not to run (their findings are dropped). @default none */
  readonly skip?: readonly string[];
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
