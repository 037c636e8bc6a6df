import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { describeAjvErrors } from '../../lib/verify/ajv-errors';
import { newAjv } from '../../lib/verify/ajv-instance';
import { crdToJsonSchema } from '../../lib/verify/crds';
import { addKubernetesKeywords } from '../../lib/verify/kubernetes-keywords';
import { splitSchema } from '../../lib/verify/split-schema';

const ROOT = path.join(__dirname, '..', '..');

function crdSchema(file: string, kind: string): any {
  const crd = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'crds', file), 'utf8')).find((c: any) => c.kind === kind);
  return crdToJsonSchema(crd.versions.find((v: any) => v.served).schema, true);
}

function validator(schema: any, inlineRefs: boolean) {
  const ajv = newAjv({ inlineRefs });
  addKubernetesKeywords(ajv);
  const validate = ajv.compile(schema);
  return (obj: any) => (validate(obj) ? [] : describeAjvErrors(validate.errors));
}

function distObjects(kind: string): any[] {
  return fs.readdirSync(path.join(ROOT, 'dist')).filter(f => f.endsWith('.yaml')).sort()
    .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8')).map(d => d.toJS()))
    .filter(o => o?.kind === kind);
}

function leafPaths(value: any, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: Array<[string | number, any]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
}

describe('splitSchema', () => {
  test('moves large subtrees into definitions, identical ones once, and leaves small ones inline', () => {
    const big = { type: 'object', properties: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, { type: 'string' }])), additionalProperties: false };
    const schema = { type: 'object', properties: { a: big, b: { type: 'array', items: big }, small: { type: 'string' } } };
    const split = splitSchema(schema, 200);
    const names = Object.keys(split.definitions);
    expect(names).toHaveLength(1);
    expect(split.definitions[names[0]]).toEqual(big);
    expect(split.properties.a).toEqual({ $ref: `#/definitions/${names[0]}` });
    expect(split.properties.b.items).toEqual({ $ref: `#/definitions/${names[0]}` });
    expect(split.properties.small).toEqual({ type: 'string' });
    expect(splitSchema(schema, 100_000)).toEqual(schema);
  });

  test('moves a union whole, never what is under anyOf, oneOf, allOf or not (errors there fold by schema path)', () => {
    const big = { type: 'object', properties: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, { type: 'integer' }])) };
    const union = { anyOf: [big, { type: 'string' }] };
    const negation = { not: { properties: { x: big } } };
    const split = splitSchema({ type: 'object', properties: { u: union, n: negation } }, 200);
    expect(Object.values(split.definitions).sort((a: any, b: any) => (a.anyOf ? -1 : b.anyOf ? 1 : 0))).toEqual([union, negation]);
    expect(JSON.stringify(split.definitions)).not.toContain('$ref');
  });

  test.each([
    ['cnpg-clusters.json', 'Cluster'],
    ['cnpg-poolers.json', 'Pooler'],
  ])('a split %s %s validator finds what the whole one finds, on dist/ objects with a value replaced', (file, kind) => {
    const schema = crdSchema(file, kind);
    const whole = validator(schema, true);
    const split = splitSchema(schema, 500);
    expect(Object.keys(split.definitions).length).toBeGreaterThan(5);
    const parts = validator(split, false);
    const base = distObjects('Cluster').concat(distObjects('Pooler')).filter(o => o.kind === kind);
    const sample = base.length > 0 ? base : [{ apiVersion: `postgresql.cnpg.io/v1`, kind, metadata: { name: 'x' }, spec: {} }];
    const replacement = fc.constantFrom(null, true, 0, -1, 1.5, '', 'x', [], {}, { unknown: 1 }, ['x', 'x']);
    const objects = fc.sample(fc.tuple(fc.nat(sample.length - 1), fc.nat(), replacement).map(([i, at, value]) => {
      const obj = structuredClone(sample[i]);
      const all = leafPaths(obj).filter(p => p.length > 1 && p[0] === 'spec');
      const where = all[at % all.length];
      if (where) where.slice(0, -1).reduce((o: any, k) => o[k], obj)[where[where.length - 1]] = value;
      return obj;
    }), { seed: 7, numRuns: 300 });
    let errors = 0;
    for (const obj of [...sample, ...objects]) {
      const expected = whole(obj);
      errors += expected.length;
      expect(parts(obj)).toEqual(expected);
    }
    expect(errors).toBeGreaterThan(100);
  });
});
