import { Chart, Testing } from 'cdk8s';
import { ValidationError } from '../../lib/core/errors';
import { verifyObjects } from '../../lib/verify';
import { Finding } from '../../lib/verify/types';

function format(findings: readonly Finding[]): string {
  return findings.map(f => `  [${f.check}] ${f.object}${f.container ? ` (${f.container})` : ''}: ${f.message}`).join('\n');
}

/**
 * Synthesizes a chart and runs the project's verification (strict schema, CRD schema, policy,
 * YAML) over every object; fails the test on any error. Returns the manifests.
 */
export function synthValid(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  const report = verifyObjects(manifests);
  if (report.errors.length > 0) {
    throw new Error(`verification found ${report.errors.length} error(s):\n${format(report.errors)}`);
  }
  return manifests;
}

/** Finds the one object of a kind (and name, when given); fails when it is not there. */
export function findObject(manifests: any[], kind: string, name?: string): any {
  const found = manifests.filter(m => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${found.length}: ${manifests.map(m => `${m.kind}/${m.metadata?.name}`).join(', ')}`);
  }
  return found[0];
}

/** A fresh chart in a namespace, for tests. */
export function testChart(namespace = 'test'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

/** The ValidationError `build` throws; fails the test when it throws nothing or anything else. */
export function validationErrorOf(build: () => unknown): ValidationError {
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}
