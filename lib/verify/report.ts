import { sarifLog } from '../tools/sarif';
import { CHECKS } from './checks';
import { Finding, VerifyReport } from './types';

/** Where each check id is explained. */
export const CHECKS_DOC = 'https://github.com/cdk8s-data/cdk8s-data/blob/main/docs/checks.md';

function where(f: Finding): string {
  return [f.object, f.container ? `container ${f.container}` : undefined, f.file].filter(Boolean).join(', ');
}

function skippedLines(report: VerifyReport): string[] {
  return report.skipped.map(s => `skipped [${s.check}] ${s.object}${s.file ? `, ${s.file}` : ''}: ${s.reason} (${s.findings} finding(s) left out)`);
}

/**
 * Renders a report for people: one line per finding, errors first, then the checks objects
 * opted out of with their reasons, then a summary line.
 */
export function formatReport(report: VerifyReport): string {
  const lines = [...report.errors, ...report.warnings]
    .map(f => `${f.severity === 'error' ? 'ERROR  ' : 'warning'} [${f.check}] (${f.origin}) ${where(f)}: ${f.message}`);
  lines.push(...skippedLines(report));
  lines.push(`${report.errors.length} error(s), ${report.warnings.length} warning(s)${report.skipped.length > 0 ? `, ${report.skipped.length} skipped check(s)` : ''}`);
  return lines.join('\n');
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/**
 * Renders a report as Markdown for a pull-request comment: a verdict, a table of findings
 * (errors first) and the opted-out checks with their reasons. Past `maxRows` findings the table
 * stops and says how many are left out.
 */
export function formatMarkdownReport(report: VerifyReport, options: { readonly maxRows?: number } = {}): string {
  const maxRows = options.maxRows ?? 200;
  const out = [`### Manifest verification: ${report.errors.length === 0 ? 'passed' : 'failed'}`, ''];
  out.push(`${report.errors.length} error(s), ${report.warnings.length} warning(s), ${report.skipped.length} skipped check(s).`);
  const findings = [...report.errors, ...report.warnings];
  if (findings.length > 0) {
    out.push('', '| Severity | Check | Object | Message |', '|---|---|---|---|');
    for (const f of findings.slice(0, maxRows)) {
      const object = [f.object, f.container ? `container ${f.container}` : undefined].filter(Boolean).join(', ');
      out.push(`| ${f.severity} | [\`${f.check}\`](${CHECKS_DOC}#${f.check}) | ${cell(object)}${f.file ? `<br>${cell(f.file)}` : ''} | ${cell(f.message)} |`);
    }
    if (findings.length > maxRows) out.push('', `_${findings.length - maxRows} more finding(s) not listed; see the CI log._`);
  }
  if (report.skipped.length > 0) {
    out.push('', 'Checks skipped by annotation:', '', '| Check | Object | Reason | Findings left out |', '|---|---|---|---|');
    for (const s of report.skipped) out.push(`| \`${s.check}\` | ${cell(s.object)} | ${cell(s.reason)} | ${s.findings} |`);
  }
  return out.join('\n') + '\n';
}

/** Renders a report as a SARIF 2.1.0 log (GitHub and GitLab code scanning). */
export function formatSarifReport(report: VerifyReport, version: string, failure?: string): object {
  return sarifLog(
    { name: 'cdk8s-data-verify', version, informationUri: CHECKS_DOC },
    CHECKS.map(c => ({ id: c.id, description: c.rule, helpUri: `${CHECKS_DOC}#${c.id}`, level: c.severity })),
    [
      ...report.findings.map(f => ({
        ruleId: f.check,
        level: f.severity,
        message: f.container ? `${f.message} (container ${f.container})` : f.message,
        file: f.file,
        object: f.object,
      })),
      ...report.skipped.map(s => ({
        ruleId: s.check,
        level: 'note' as const,
        message: `check skipped by annotation: ${s.findings} finding(s) left out`,
        file: s.file,
        object: s.object,
        suppression: s.reason,
      })),
    ],
    failure === undefined ? undefined : { message: failure },
  );
}
