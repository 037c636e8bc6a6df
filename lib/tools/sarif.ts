/**
 * A SARIF 2.1.0 log (the format code-scanning services read) for the verify and safety tools.
 * Only the parts these tools fill are typed here; test/verify/sarif.test.ts validates the output
 * against the official SARIF 2.1.0 JSON schema.
 */

/** A rule (check id) the tool reports results for. */
export interface SarifRule {
  readonly id: string;
  readonly description: string;
  /** Where the check is explained. */
  readonly helpUri?: string;
  readonly level: SarifLevel;
}

export type SarifLevel = 'error' | 'warning' | 'note';

/** One result: a rule that fired on an object. */
export interface SarifResult {
  readonly ruleId: string;
  readonly level: SarifLevel;
  readonly message: string;
  /** File the object comes from, relative to the repository root, when known. */
  readonly file?: string;
  /** The object, e.g. `shop/StatefulSet/orders`. */
  readonly object: string;
  /** Suppressed results (skipped by annotation, acknowledged) carry their justification. */
  readonly suppression?: string;
}

/** A tool run that could not complete: reported as a failed invocation. */
export interface SarifFailure {
  readonly message: string;
}

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Builds the SARIF log of one run of one tool. */
export function sarifLog(tool: { name: string; version: string; informationUri: string }, rules: readonly SarifRule[],
  results: readonly SarifResult[], failure?: SarifFailure): object {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: tool.name,
          version: tool.version,
          informationUri: tool.informationUri,
          rules: rules.map(r => ({
            id: r.id,
            shortDescription: { text: r.description },
            ...(r.helpUri ? { helpUri: r.helpUri } : {}),
            defaultConfiguration: { level: r.level },
          })),
        },
      },
      invocations: [{
        executionSuccessful: failure === undefined,
        ...(failure ? { toolExecutionNotifications: [{ level: 'error', message: { text: failure.message } }] } : {}),
      }],
      results: results.map(r => ({
        ruleId: r.ruleId,
        ...(ruleIndex.has(r.ruleId) ? { ruleIndex: ruleIndex.get(r.ruleId) } : {}),
        level: r.level,
        message: { text: r.message },
        locations: [{
          ...(r.file ? { physicalLocation: { artifactLocation: { uri: r.file.split('\\').join('/') } } } : {}),
          logicalLocations: [{ fullyQualifiedName: r.object, kind: 'resource' }],
        }],
        ...(r.suppression ? { suppressions: [{ kind: 'inSource', justification: r.suppression }] } : {}),
      })),
    }],
  };
}
