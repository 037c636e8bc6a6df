import { sarifLog } from '../tools/sarif';
import { SafetyFinding, SafetyReport } from './types';

function label(f: SafetyFinding): string {
  if (f.severity === 'blocking') return 'BLOCKING';
  return f.acknowledged ? 'ACKNOWLEDGED' : 'NOTE';
}

function summary(report: SafetyReport): string {
  const notes = report.notes.length - report.acknowledged.length;
  return `${report.blocking.length} blocking, ${report.acknowledged.length} acknowledged, ${notes} note(s)`;
}

/** A plain-text report for a terminal or a CI log. */
export function formatText(report: SafetyReport): string {
  const lines: string[] = [];
  lines.push(`Data-safety check: ${summary(report)} (base ${report.baseObjects} objects, head ${report.headObjects} objects)`);
  for (const f of report.findings) {
    lines.push('');
    lines.push(`${label(f)} ${f.id}  ${f.object}`);
    lines.push(`  change: ${f.change}`);
    lines.push(`  why:    ${f.why}`);
    lines.push(`  safely: ${f.safely}`);
    if (f.acknowledged) lines.push(`  acknowledged by ${f.acknowledgedBy}`);
    else if (f.severity === 'blocking') lines.push(`  to accept: ${f.howToAcknowledge}`);
  }
  if (report.unusedAcknowledgements.length > 0) {
    lines.push('');
    lines.push('Acknowledgements that matched no finding (remove them from the acknowledgements file once the change has landed):');
    for (const a of report.unusedAcknowledgements) lines.push(`  ${a.finding} ${a.object}`);
  }
  if (report.unusedAnnotations.length > 0) {
    lines.push('');
    lines.push('Acknowledgement annotations that accepted nothing in this change (remove these ids from the construct\'s `acknowledge` prop, so they cannot hide a later finding):');
    for (const a of report.unusedAnnotations) lines.push(`  ${a.finding} on ${a.object}`);
  }
  lines.push('');
  lines.push(report.ok
    ? `Result: OK, no unacknowledged blocking finding.`
    : `Result: FAILED, ${report.blocking.length} unacknowledged blocking finding(s).`);
  return lines.join('\n') + '\n';
}

/** Escapes text for a Markdown table cell or inline text. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/** Options of the Markdown report. */
export interface MarkdownOptions {
  /**
   * Longest report in characters: past it, per-finding sections are left out (the summary table
   * stays). GitHub refuses comments over 65,536 characters.
   * @default 60000
   */
  readonly maxLength?: number;
}

/** A Markdown report for a pull-request comment. */
export function formatMarkdown(report: SafetyReport, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? 60000;
  const out: string[] = [];
  out.push(`### Data-safety check: ${report.ok ? 'passed' : 'blocked'}`);
  out.push('');
  out.push(`${summary(report)}; compared ${report.baseObjects} base objects with ${report.headObjects} head objects.`);
  const unused = [
    ...(report.unusedAcknowledgements.length === 0 ? [] : ['',
      `Acknowledgements that matched no finding: ${report.unusedAcknowledgements.map(a => `\`${a.finding}\` ${md(a.object)}`).join(', ')}.`]),
    ...(report.unusedAnnotations.length === 0 ? [] : ['',
      `Acknowledgement annotations that accepted nothing in this change (remove them from the construct's \`acknowledge\` prop): ${report.unusedAnnotations.map(a => `\`${a.finding}\` on ${md(a.object)}`).join(', ')}.`]),
  ];
  if (report.findings.length === 0) {
    out.push('');
    out.push('No change to a data-bearing object needs attention.');
    out.push(...unused);
    return out.join('\n') + '\n';
  }
  out.push('');
  out.push('| Severity | Finding | Object | Change |');
  out.push('|---|---|---|---|');
  let rows = 0;
  let tableLength = out.join('\n').length;
  for (const f of report.findings) {
    const row = `| ${label(f).toLowerCase()} | \`${f.id}\` | ${md(f.object)} | ${md(f.change)} |`;
    if (tableLength + row.length + 1 > maxLength - 400) break;
    out.push(row);
    tableLength += row.length + 1;
    rows++;
  }
  if (rows < report.findings.length) {
    out.push('');
    out.push(`_${report.findings.length - rows} more finding(s) not listed; see the CI log for the full report._`);
  }
  out.push(...unused);
  let length = out.join('\n').length;
  let left = 0;
  for (const f of report.findings) {
    const section = ['', `#### ${label(f).toLowerCase()}: \`${f.id}\` on ${md(f.object)}`, '',
      `- **Change:** ${md(f.change)}`, `- **Why it matters:** ${md(f.why)}`, `- **How to do it safely:** ${md(f.safely)}`];
    if (f.acknowledged) section.push(`- **Acknowledged by:** ${md(f.acknowledgedBy ?? '')}`);
    else if (f.severity === 'blocking') section.push(`- **If you mean it:** ${md(f.howToAcknowledge)}`);
    const size = section.join('\n').length + 1;
    if (left > 0 || length + size > maxLength - 200) { left++; continue; }
    out.push(...section);
    length += size;
  }
  if (left > 0) {
    out.push('');
    out.push(`_${left} more finding section(s) left out to keep this comment short; the table above lists every finding and the CI log has the full text report._`);
  }
  return out.join('\n') + '\n';
}

/** Where the safety findings are explained. */
const SAFETY_DOC = 'https://github.com/cdk8s-data/cdk8s-data/blob/main/docs/checks.md';

/**
 * A SARIF 2.1.0 log (code scanning): blocking findings are errors, notes are notes, and an
 * acknowledged finding is a suppressed error carrying who acknowledged it.
 */
export function formatSarif(report: SafetyReport, version: string, failure?: string): object {
  const rules = new Map<string, SafetyFinding>();
  for (const f of report.findings) if (!rules.has(f.id)) rules.set(f.id, f);
  return sarifLog(
    { name: 'cdk8s-data-safety', version, informationUri: SAFETY_DOC },
    [...rules.values()].map(f => ({ id: f.id, description: f.why, helpUri: `${SAFETY_DOC}#${f.id}`, level: f.ruleSeverity === 'blocking' ? 'error' as const : 'note' as const })),
    report.findings.map(f => ({
      ruleId: f.id,
      level: f.ruleSeverity === 'blocking' ? 'error' as const : 'note' as const,
      message: `${f.change}. Why it matters: ${f.why} How to do it safely: ${f.safely}`,
      object: f.object,
      ...(f.acknowledged ? { suppression: f.acknowledgedBy ?? 'acknowledged' } : {}),
    })),
    failure === undefined ? undefined : { message: failure },
  );
}
