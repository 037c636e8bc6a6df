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
