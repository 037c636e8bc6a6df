import { parser } from '@prometheus-io/lezer-promql';

/** Parses PromQL and returns the text around every error node (none for a valid expression). */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: node => {
      if (node.type.isError || node.name === '⚠') errors.push(`at ${node.from}: "${expr.slice(Math.max(0, node.from - 10), node.to + 10)}"`);
    },
  });
  return errors;
}
