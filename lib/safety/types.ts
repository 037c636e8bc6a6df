/**
 * How bad a safety finding is. A `blocking` finding fails `npm run safety` (exit 1) unless it
 * is acknowledged; a `note` is reported and never fails the run.
 */
export type SafetySeverity = 'blocking' | 'note';

/** One change between two manifest sets that could lose data, cause an outage or be rejected. */
export interface SafetyFinding {
  /** Stable finding id, e.g. `storage-decreased`; the id a user names to acknowledge it. */
  readonly id: string;
  /** Effective severity: an acknowledged blocking finding becomes a note. */
  readonly severity: SafetySeverity;
  /** What the rule says before acknowledgement. */
  readonly ruleSeverity: SafetySeverity;
  /** The object, as `Kind namespace/name` (`Kind name` for cluster-scoped objects). */
  readonly object: string;
  /** Identity key of the object: `group/Kind/namespace/name`. */
  readonly key: string;
  /** What changed, with the old and new values. */
  readonly change: string;
  /** Why it matters: what happens when this is applied. */
  readonly why: string;
  /** How to make the change safely. */
  readonly safely: string;
  /** True when a user acknowledged this finding. */
  readonly acknowledged: boolean;
  /** Where the acknowledgement came from, when acknowledged. */
  readonly acknowledgedBy?: string;
  /** How a user who means the change accepts this finding. */
  readonly howToAcknowledge: string;
}

/** The result of comparing two manifest sets. */
export interface SafetyReport {
  /** Every finding, blocking first, then notes; in a stable order. */
  readonly findings: readonly SafetyFinding[];
  /** Blocking findings nobody acknowledged: the run fails when there is one. */
  readonly blocking: readonly SafetyFinding[];
  /** Findings reported for information (notes, and acknowledged blocking findings). */
  readonly notes: readonly SafetyFinding[];
  /** Blocking findings that a user acknowledged. */
  readonly acknowledged: readonly SafetyFinding[];
  /** Number of objects compared on each side. */
  readonly baseObjects: number;
  readonly headObjects: number;
  /** Acknowledgements given in options (the file) that matched no finding: stale entries to remove. */
  readonly unusedAcknowledgements: readonly Acknowledgement[];
  /**
   * Acknowledgement annotations (construct `acknowledge` props) that accepted nothing in this
   * change. Left in place, they would silently accept a later finding of the same id: remove them
   * once the change they were written for has landed.
   */
  readonly unusedAnnotations: readonly Acknowledgement[];
  /** True when there is no unacknowledged blocking finding. */
  readonly ok: boolean;
}

/**
 * An acknowledgement given outside the manifests (option or `safety-acknowledgements.yaml`),
 * for findings whose object is gone from the head manifests, or for any finding.
 */
export interface Acknowledgement {
  /** The finding id accepted, e.g. `data-object-removed`. */
  readonly finding: string;
  /**
   * The object: `Kind/name` or `Kind/namespace/name` (the kind may carry its group:
   * `Cluster.postgresql.cnpg.io/shop/orders`). `*` for the name or namespace matches any.
   */
  readonly object: string;
  /** Why the change is fine; shown in the report. */
  readonly reason?: string;
}

/** Options for `compareManifests`. */
export interface CompareOptions {
  /**
   * Acknowledgements given outside the manifests.
   * @default none
   */
  readonly acknowledgements?: readonly Acknowledgement[];
  /**
   * Accept an acknowledgement annotation that was already present on the base object of a
   * removal (the removal was announced and reviewed in an earlier, merged change).
   * @default true
   */
  readonly acceptBaseAcknowledgements?: boolean;
}
