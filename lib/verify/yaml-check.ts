import * as YAML from 'yaml';
import { readSameUnder11And12 } from './fast-yaml';
import { Finding } from './types';

/** A canonical text for comparing parsed data; dates and binary data are marked so they differ from strings. */
function canonical(value: unknown): string {
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (value instanceof Uint8Array) return `binary:${Buffer.from(value).toString('base64')}`;
  if (value instanceof Map) return canonical(Object.fromEntries(value));
  if (value instanceof Set) return `set:${canonical([...value])}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return `${value}n`;
  return JSON.stringify(value) ?? 'undefined';
}

/** The first path where two parsed values differ, with both values. */
function firstDifference(a: any, b: any, where = ''): string | undefined {
  if (canonical(a) === canonical(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !(a instanceof Date) && !(b instanceof Date)
    && Array.isArray(a) === Array.isArray(b)) {
    if (!Array.isArray(a)) {
      const only12 = Object.keys(a).filter(k => !(k in b));
      const only11 = Object.keys(b).filter(k => !(k in a));
      if (only12.length > 0 || only11.length > 0) {
        return `${where || '(document)'}: key(s) ${only12.map(k => JSON.stringify(k)).join(', ')} read as ${only11.map(k => JSON.stringify(k)).join(', ') || 'something else'} under YAML 1.1; quote the key`;
      }
    }
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference(a[k], b[k], Array.isArray(a) ? `${where}[${k}]` : where ? `${where}.${k}` : k);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (v instanceof Date ? `a timestamp (${v.toISOString()})` : `${JSON.stringify(v)} (${typeof v})`);
  return `${where || '(document)'}: YAML 1.2 reads ${show(a)}, YAML 1.1 reads ${show(b)}; quote the value`;
}

function describeDoc(data: any, index: number): string {
  if (data && typeof data === 'object' && data.kind) {
    const ns = data.metadata?.namespace;
    return `${ns ? `${ns}/` : ''}${data.kind}/${data.metadata?.name ?? '(unnamed)'}`;
  }
  return `document ${index + 1}`;
}

/**
 * Parses a multi-document YAML text and checks it (check id `yaml`): each document reads the
 * same under YAML 1.1 and 1.2, has no duplicate keys, and is not empty. Returns the objects
 * (YAML 1.2 reading, which is what kubectl and the API server use) and the findings.
 */
export function verifyYamlText(text: string, file?: string): { objects: any[]; findings: Finding[] } {
  const objects = readSameUnder11And12(text);
  return objects ? { objects, findings: [] } : verifyYamlTextExactly(text, file);
}

/** verifyYamlText with the `yaml` package's document API, reading the text under both versions. */
export function verifyYamlTextExactly(text: string, file?: string): { objects: any[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const add = (object: string, message: string) => findings.push({ check: 'yaml', severity: 'error', object, origin: 'yamllint', message, ...(file !== undefined ? { file } : {}) });
  const docs12 = YAML.parseAllDocuments(text, { version: '1.2', uniqueKeys: true, prettyErrors: false });
  const docs11 = YAML.parseAllDocuments(text, { version: '1.1', uniqueKeys: true, prettyErrors: false });
  const list12 = Array.isArray(docs12) ? docs12 : [docs12];
  const list11 = Array.isArray(docs11) ? docs11 : [docs11];
  const objects: any[] = [];
  if (list12.length === 0 && text.trim() !== '') add('(file)', 'no YAML document could be read');
  if (list12.length === 0 && text.trim() === '') add('(file)', 'the file is empty');
  list12.forEach((doc, i) => {
    const errors = doc.errors ?? [];
    let data: any;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      add(`document ${i + 1}`, `cannot be read: ${(e as Error).message}`);
      return;
    }
    const name = describeDoc(data, i);
    for (const e of errors) {
      const duplicate = e.code === 'DUPLICATE_KEY';
      add(name, duplicate ? `duplicate key: ${e.message.split('\n')[0]}` : `YAML error: ${e.message.split('\n')[0]}`);
    }
    if (doc.contents === null || data === null || data === undefined) {
      add(name, 'empty document; remove the stray "---"');
      return;
    }
    const other = list11[i];
    if (other) {
      let data11: any;
      try {
        data11 = other.toJS({ maxAliasCount: 100 });
      } catch {
        data11 = undefined;
      }
      const diff = firstDifference(data, data11);
      if (diff) add(name, diff);
    }
    objects.push(data);
  });
  return { objects, findings };
}

/** Strings worth a closer look: they might read as a number, boolean or null. */
const SUSPECT = /^([-+.~0-9]|(true|false|null|yes|no|on|off|y|n)$)/i;
const plainReadings = new Map<string, string | undefined>();

/**
 * How YAML 1.2 misreads a string that a YAML 1.1 writer (cdk8s writes YAML 1.1) leaves
 * unquoted, or undefined when it reads back the same. A 1.1 writer quotes what 1.1 would
 * misread, so only strings plain in 1.1 but typed in 1.2 (such as `0o17`) remain.
 */
function misreadUnder12(value: string): string | undefined {
  if (!SUSPECT.test(value) || value.length > 64 || /[\s:#]/.test(value)) return undefined;
  if (plainReadings.has(value)) return plainReadings.get(value);
  let result: string | undefined;
  try {
    const as11 = YAML.parse(value, { version: '1.1' });
    const as12 = YAML.parse(value, { version: '1.2' });
    if (as11 === value && as12 !== value) result = JSON.stringify(as12);
  } catch {
    result = undefined;
  }
  plainReadings.set(value, result);
  return result;
}

/**
 * The `yaml` check for objects not yet written (the test harness): finds strings that cdk8s,
 * writing YAML 1.1, leaves unquoted although YAML 1.2 readers read them as something else.
 */
export function renderedYamlFindings(objects: readonly any[], describe: (obj: any) => string, fileOf: (obj: any) => string | undefined): Finding[] {
  const findings: Finding[] = [];
  const walk = (obj: any, value: unknown, where: string) => {
    if (typeof value === 'string') {
      const misread = misreadUnder12(value);
      if (misread !== undefined) {
        const file = fileOf(obj);
        findings.push({
          check: 'yaml', severity: 'error', object: describe(obj), origin: 'yamllint', ...(file !== undefined ? { file } : {}),
          message: `${where}: the string ${JSON.stringify(value)} is written unquoted in YAML 1.1 but YAML 1.2 readers read ${misread}`,
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(obj, v, `${where}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (misreadUnder12(k) !== undefined) walk(obj, k, `${where ? `${where}.` : ''}(key)`);
        walk(obj, v, where ? `${where}.${k}` : k);
      }
    }
  };
  for (const obj of objects) walk(obj, obj, '');
  return findings;
}
